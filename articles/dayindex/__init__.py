"""The day index: how many published articles each day has, kept at write time.

The home page and the date archives ask it for their navigation (the years, months or days
that have articles) and for their paginators' counts, where ``.dates()`` and ``COUNT`` read
every article of the period: 2.6 s for the home page's years on a 100,000-article archive.
Scheduled articles, which appear without any save, are counted with the published ones and
subtracted when read: they are the few at the far end of the (status, published_at) index.
The sitemaps read it too, for each past month's count and newest change (month_totals()).
signals.py keeps the table in step with every save; rebuild() remakes it after bulk writes.
"""

from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce, Greatest, TruncDate
from django.utils import timezone

from articles import rows
from articles.dayindex.models import PublicationDay

BATCH_SIZE = 1000
# When readers last saw an article change: its last save, or its publication if later.
LAST_MODIFIED = Greatest("updated_at", "published_at")


def midnight(day):
    """The start of this Paris day, as an aware time."""
    return datetime.combine(day, time(), tzinfo=timezone.get_current_timezone())


def articles_of(first=None, after=None):
    """Articles with the published status between these Paris days (either end open)."""
    from articles.models import Article

    articles = Article.objects.filter(status=Article.Status.PUBLISHED)
    if first is not None:
        articles = articles.filter(published_at__gte=midnight(first))
    if after is not None:
        articles = articles.filter(published_at__lt=midnight(after))
    return articles


def refresh(days):
    """Count these days again, with their newest change (a few index reads each)."""
    for day in set(days):
        totals = articles_of(day, day + timedelta(days=1)).aggregate(
            published=Count("pk"), last_modified=Max(LAST_MODIFIED)
        )
        if totals["published"]:
            PublicationDay.objects.update_or_create(
                day=day, defaults={**totals, "month": day.replace(day=1)}
            )
        else:
            PublicationDay.objects.filter(day=day).delete()


def rebuild():
    """Remake the table from the articles (after bulk_create or a restore)."""
    days = (
        articles_of()
        .annotate(day=TruncDate("published_at"))
        .values("day")
        .annotate(published=Count("pk"), last_modified=Max(LAST_MODIFIED))
        .order_by()
    )
    with transaction.atomic():
        PublicationDay.objects.all().delete()
        PublicationDay.objects.bulk_create(
            (PublicationDay(**row, month=row["day"].replace(day=1)) for row in days.iterator()),
            batch_size=BATCH_SIZE,
        )


def days_of(first=None, after=None):
    days = PublicationDay.objects.filter(published__gt=0)
    if first is not None:
        days = days.filter(day__gte=first)
    if after is not None:
        days = days.filter(day__lt=after)
    return days


def shown_days(first=None, after=None):
    """SQL and its parameters: the days of the table between these that show articles now.

    Days before today show all theirs; today only if one of its articles' time has come.
    Written out, as the home page and the date archives ask it for their navigation on every
    build: the ORM took about a millisecond of Python to build each query around it, where
    the database reads a few thousand small rows in a fraction of that. Each statement bounds
    the days by one range only, the narrower: given a range ending past today besides,
    SQLite read every day up to today, or every day since ``first``, then sorted them.
    """
    from articles.models import Article

    ops = connection.ops
    today = timezone.localdate()
    if after is not None and after <= today:
        # Days gone by: each shows all its articles.
        bounds, params = between(first, after)
        return "published > 0" + bounds, params
    sql = (
        "published > 0 AND day <= %s AND (day < %s OR EXISTS (SELECT 1 FROM "
        f"{ops.quote_name(Article._meta.db_table)} WHERE status = %s "
        "AND published_at >= %s AND published_at <= %s))"
    )
    params = [
        ops.adapt_datefield_value(today),
        ops.adapt_datefield_value(today),
        Article.Status.PUBLISHED,
        ops.adapt_datetimefield_value(midnight(today)),
        ops.adapt_datetimefield_value(timezone.now()),
    ]
    bounds, bounds_params = between(first, None)
    return sql + bounds, params + bounds_params


def between(first, after):
    """SQL and its parameters narrowing the table's rows to the days between these (either
    end open), to follow a condition."""
    sql, params = "", []
    if first is not None:
        sql += " AND day >= %s"
        params.append(connection.ops.adapt_datefield_value(first))
    if after is not None:
        sql += " AND day < %s"
        params.append(connection.ops.adapt_datefield_value(after))
    return sql, params


def truncate(day, kind):
    return {"year": day.replace(month=1, day=1), "month": day.replace(day=1), "day": day}[kind]


def read_days(sql, params):
    """The dates of the one column of each row of ``sql``, None where it is NULL.

    Prepared on PostgreSQL (``rows.cursor()``), as locate()'s statement: each date archive
    and the home page run them at every build, and their plan for any day is as fast as
    their plan for today (planning took longer than running them on a month's archive)."""
    to_date = PublicationDay._meta.get_field("day").to_python
    with rows.cursor(connection.alias) as cursor:
        cursor.execute(sql, params)
        return [[value and to_date(value) for value in row] for row in cursor.fetchall()]


def neighbours(first, after):
    """The last day before ``first`` and the first from ``after`` on that show articles (each
    None if there is none), in one query: a date archive's links to the previous and next."""
    table = connection.ops.quote_name(PublicationDay._meta.db_table)
    before, before_params = shown_days(after=first)
    since, since_params = shown_days(first=after)
    sql = (
        f"SELECT (SELECT day FROM {table} WHERE {before} ORDER BY day DESC LIMIT 1), "
        f"(SELECT day FROM {table} WHERE {since} ORDER BY day LIMIT 1)"
    )
    return tuple(read_days(sql, [*before_params, *since_params])[0])


def periods(kind, first=None, after=None, ordering="ASC"):
    """The years, months or days (``kind``) between these days that show articles now.

    Years are found a probe each (years()); months and days are read from their stored
    columns: truncating each day in SQL costs SQLite a Python call per row (2,500 of them,
    10 ms, for the home page's years).
    """
    if kind == "year":
        found = years(first, after)
        return found if ordering == "DESC" else found[::-1]
    column = "day" if kind == "day" else "month"
    table = connection.ops.quote_name(PublicationDay._meta.db_table)
    shown, params = shown_days(first, after)
    direction = "ASC" if ordering == "ASC" else "DESC"
    sql = f"SELECT DISTINCT {column} FROM {table} WHERE {shown} ORDER BY {column} {direction}"
    return [day for (day,) in read_days(sql, params)]


def years(first=None, after=None):
    """The years between these days that show articles now, as their first days, newest first.

    One probe of the day index a year, each for the newest day before the last year found,
    rather than every day of the archive read and grouped: the home page's years took 1.4 ms
    of PostgreSQL for the 2,557 days of the 100,000-article archive.
    """
    table = connection.ops.quote_name(PublicationDay._meta.db_table)
    shown, params = shown_days(first, after)
    since, since_params = between(first, None)
    year_start, year_params = connection.ops.date_trunc_sql("year", "years.day", ())
    sql = (
        f"WITH RECURSIVE years(day) AS (SELECT MAX(day) FROM {table} WHERE {shown} "
        f"UNION ALL SELECT (SELECT MAX(day) FROM {table} WHERE published > 0{since} "
        f"AND day < {year_start}) FROM years WHERE day IS NOT NULL) "
        "SELECT day FROM years WHERE day IS NOT NULL"
    )
    found = read_days(sql, [*params, *since_params, *year_params])
    return [truncate(day, "year") for (day,) in found]


def month_totals(before):
    """(first day, articles, newest change) of each month before the day ``before``, oldest first.

    Scheduled articles are counted from their save, so only a month that is over is sure to
    be exact: a reader of the current month counts it from its articles.
    """
    return (
        days_of(after=before)
        .values("month")
        .annotate(published=Sum("published"), last_modified=Max("last_modified"))
        .order_by("month")
        .values_list("month", "published", "last_modified")
    )


def scheduled_today(today):
    """How many of today's articles with the published status are still to appear."""
    return Coalesce(
        Subquery(
            articles_of(today, today + timedelta(days=1))
            .filter(published_at__gt=timezone.now())
            .order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def shown(today):
    """A day's articles that readers see now: today's scheduled ones are subtracted."""
    return Case(
        When(day=today, then=F("published") - scheduled_today(today)),
        default=F("published"),
        output_field=IntegerField(),
    )


def shown_counts(first=None, after=None):
    """(day, articles readers see now) of the days between these, newest first.

    Few rows (one a day of the archive's life, not one an article), read in one query.
    """
    today = timezone.localdate()
    days = days_of(first, after).filter(day__lte=today).annotate(shown=shown(today))
    return list(days.order_by("-day").values_list("day", "shown"))


def count(first=None, after=None):
    """How many articles readers see now between these days (either end open)."""
    today = timezone.localdate()
    days = days_of(first, after).filter(day__lte=today).annotate(shown=shown(today))
    return days.aggregate(total=Coalesce(Sum("shown"), 0))["total"]


def locate(first, after, today, start):
    """The day holding the ``start``-th newest article of the period shown today, as (day,
    articles, running total to it newest first, today's scheduled articles, period's total).

    One query: each day's running total, newest first, up to the first day that reaches past
    ``start`` (the window stops there, without reading older days). SQL written here rather
    than built by the ORM, whose window, subqueries and filter on the window took 2.5 ms of
    Python for a query the database answers in a few hundredths of one. Today's scheduled
    articles are counted in today's row, the newest, so every running total holds them:
    subtracting them from each is exact.
    """
    from articles.models import Article

    ops = connection.ops
    bounds, bounds_params = between(first, after)
    days = "published > 0 AND day <= %s" + bounds
    params = [ops.adapt_datefield_value(today), *bounds_params]
    table = ops.quote_name(PublicationDay._meta.db_table)
    scheduled = (
        f"COALESCE((SELECT COUNT(*) FROM {ops.quote_name(Article._meta.db_table)} "
        "WHERE status = %s AND published_at >= %s AND published_at < %s "
        "AND published_at > %s), 0)"
    )
    scheduled_params = [
        Article.Status.PUBLISHED,
        *(
            ops.adapt_datetimefield_value(moment)
            for moment in (midnight(today), midnight(today + timedelta(days=1)), timezone.now())
        ),
    ]
    sql = (
        "SELECT day, published, running, scheduled, total FROM ("
        "SELECT day, published, SUM(published) OVER (ORDER BY day DESC) AS running, "
        f"{scheduled} AS scheduled, (SELECT SUM(published) FROM {table} WHERE {days}) AS total "
        f"FROM {table} WHERE {days}) located "
        "WHERE running > scheduled + %s AND running <= published + scheduled + %s LIMIT 1"
    )
    with rows.cursor(connection.alias) as cursor:
        cursor.execute(sql, [*scheduled_params, *params, *params, start, start])
        row = cursor.fetchone()
    if row is None:
        return None
    day_field = PublicationDay._meta.get_field("day")
    return (day_field.to_python(row[0]), *row[1:])


class DatedArticles:
    """The published articles of a period, newest first, as Django's Paginator takes them,
    each page read as teasers (``Article.objects.page_teasers()``).

    One query over the day counts finds both the period's total and the day where the page
    starts: each day's running total, newest first, up to the first day that reaches past the
    page's ``start``, which the view passes in since the paginator asks for the count first.
    The page's ids are then read from the (status, published_at, id) index from the end of that
    day, skipping at most that day's earlier articles. Page 1 and page 8,000 cost the same, and
    no day row is read past the page's (converting 2,500 dates cost the home page 5 ms).
    """

    ordered = True

    def __init__(self, first=None, after=None, start=0):
        self.first, self.after, self.start = first, after, start
        self.located = {}

    def for_listing(self):
        return self  # its pages are teasers already

    def locate(self, start):
        """(day, articles of that day before ``start``, period's total); None past the end."""
        if start not in self.located:
            today = timezone.localdate()
            row = locate(self.first, self.after, today, start)
            if row:
                day, published, running, scheduled, total = row
                before = 0 if day == today else running - published - scheduled
                row = (day, start - before, total - scheduled)
            self.located[start] = row
        return self.located[start]

    def count(self):
        located = self.locate(self.start)
        # Past the end, or nothing to list: the total alone (a 404, or an empty page).
        return located[2] if located else count(self.first, self.after)

    def exists(self):
        return self.count() > 0

    def __getitem__(self, page):
        start, size = page.start or 0, page.stop - (page.start or 0)
        located = self.locate(start)
        if located is None:
            return []
        return self.page(located[0], located[1], size)

    def page(self, day, offset, size):
        """``size`` articles from the ``offset``-th newest of those up to the end of ``day``."""
        from articles.models import Article

        entries = Article.objects.published(before=midnight(day + timedelta(days=1)))
        if self.first is not None:
            entries = entries.filter(published_at__gte=midnight(self.first))
        ids = entries.order_by("-published_at", "-pk").values("pk")[offset : offset + size]
        return Article.objects.page_teasers(ids)
