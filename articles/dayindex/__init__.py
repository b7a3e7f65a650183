"""The day index: how many published articles each day has, kept at write time.

The home page and the date archives ask it for their navigation (the years, months or days
that have articles) and for their paginators' counts, where ``.dates()`` and ``COUNT`` read
every article of the period: 2.6 s for the home page's years on a 100,000-article archive.
Scheduled articles, which appear without any save, are counted with the published ones and
subtracted when read: they are the few at the far end of the (status, published_at) index.
Each month's days are also added up (PublicationMonth): a page of a listing by date is
found among the months first, then among its month's days. The sitemaps read the months too,
for each past month's count and newest change (month_totals()). signals.py keeps both tables
in step with every save; rebuild() remakes them after bulk writes.
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
from articles.dayindex.models import PublicationDay, PublicationMonth

BATCH_SIZE = 1000
# When readers last saw an article change: its last save, or its publication if later.
LAST_MODIFIED = Greatest("updated_at", "published_at")
# A month's row, from its days' rows.
MONTH_TOTALS = {"published": Sum("published"), "last_modified": Max("last_modified")}


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
    """Count these days again, with their newest change (a few index reads each), then add
    up their months again."""
    days = set(days)
    for day in days:
        totals = articles_of(day, day + timedelta(days=1)).aggregate(
            published=Count("pk"), last_modified=Max(LAST_MODIFIED)
        )
        if totals["published"]:
            PublicationDay.objects.update_or_create(
                day=day, defaults={**totals, "month": day.replace(day=1)}
            )
        else:
            PublicationDay.objects.filter(day=day).delete()
    for month in {day.replace(day=1) for day in days}:
        totals = days_of(month, month_after(month)).aggregate(**MONTH_TOTALS)
        if totals["published"]:
            PublicationMonth.objects.update_or_create(month=month, defaults=totals)
        else:
            PublicationMonth.objects.filter(month=month).delete()


def month_after(first):
    """The first of the month after the one that ``first`` begins (a date, or a time then)."""
    year, month = divmod(first.year * 12 + first.month, 12)
    return first.replace(year=year, month=month + 1)


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
        months = PublicationDay.objects.values("month").annotate(**MONTH_TOTALS).order_by()
        PublicationMonth.objects.all().delete()
        PublicationMonth.objects.bulk_create(
            (PublicationMonth(**row) for row in months.iterator()), batch_size=BATCH_SIZE
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


def between(first, after, column="day"):
    """SQL and its parameters narrowing the table's rows to those whose ``column`` is between
    these days (either end open), to follow a condition."""
    sql, params = "", []
    if first is not None:
        sql += f" AND {column} >= %s"
        params.append(connection.ops.adapt_datefield_value(first))
    if after is not None:
        sql += f" AND {column} < %s"
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
    """(first day, articles, newest change) of each month before the one starting ``before``,
    oldest first.

    Scheduled articles are counted from their save, so only a month that is over is sure to
    be exact: a reader of the current month counts it from its articles.
    """
    return (
        PublicationMonth.objects.filter(published__gt=0, month__lt=before)
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


def count(first=None, after=None):
    """How many articles readers see now between these days (either end open)."""
    today = timezone.localdate()
    days = days_of(first, after).filter(day__lte=today).annotate(shown=shown(today))
    return days.aggregate(total=Coalesce(Sum("shown"), 0))["total"]


def locate(first, after, today, start):
    """The day holding the ``start``-th newest article of the period shown today, as (day,
    articles, running total to it newest first, today's scheduled articles, period's total).

    One query. A period of whole months (the home page, a year's or a month's archive) finds
    the month first, by each month's running total newest first, then the day by its month's
    days' running totals: a few dozen months and a month's days, however deep the page
    (every day since, 2,557 of them on the home page's last page, cost SQLite 4.7 ms). The
    months gone by are read from their totals (PublicationMonth); the current one is added up
    from its days up to today. A period of days is read from its days alone. SQL written here
    rather than built by the ORM, whose windows and subqueries took 2.5 ms of Python for a
    query the database answers in a fraction of one. Today's scheduled articles are counted
    in today's row, the newest, so every running total holds them: subtracting them from each
    is exact.
    """
    from articles.models import Article

    ops = connection.ops
    day_table = ops.quote_name(PublicationDay._meta.db_table)
    scheduled, params = "0", []
    if (first is None or first <= today) and (after is None or today < after):
        # Only a period holding today holds today's scheduled articles.
        scheduled = (
            f"COALESCE((SELECT COUNT(*) FROM {ops.quote_name(Article._meta.db_table)} "
            "WHERE status = %s AND published_at >= %s AND published_at < %s "
            "AND published_at > %s), 0)"
        )
        params = [
            Article.Status.PUBLISHED,
            *(
                ops.adapt_datetimefield_value(moment)
                for moment in (midnight(today), midnight(today + timedelta(days=1)), timezone.now())
            ),
        ]
    bounds, bounds_params = between(first, after)
    if all(end is None or end.day == 1 for end in (first, after)):
        months, months_params = located_month(first, after, today, start)
        days = (
            f"SELECT day, published, before, total FROM {day_table}, located WHERE "
            f"published > 0 AND day >= located.month AND day < located.newer AND day <= %s{bounds}"
        )
        params += [*months_params, ops.adapt_datefield_value(today), *bounds_params]
    else:
        shown = "published > 0 AND day <= %s" + bounds
        months = ""
        days = (
            f"SELECT day, published, 0 AS before, (SELECT SUM(published) FROM {day_table} "
            f"WHERE {shown}) AS total FROM {day_table} WHERE {shown}"
        )
        params += [ops.adapt_datefield_value(today), *bounds_params] * 2
    sql = (
        f"WITH scheduled(n) AS (SELECT {scheduled}){months} "
        "SELECT day, published, running, n, total FROM (SELECT day, published, "
        f"before + SUM(published) OVER (ORDER BY day DESC) AS running, total FROM ({days}) days"
        ") ranked, scheduled WHERE running > n + %s AND running <= published + n + %s LIMIT 1"
    )
    with rows.cursor(connection.alias) as cursor:
        cursor.execute(sql, [*params, start, start])
        row = cursor.fetchone()
    if row is None:
        return None
    day_field = PublicationDay._meta.get_field("day")
    return (day_field.to_python(row[0]), *row[1:])


def located_month(first, after, today, start):
    """SQL and its parameters for locate(): the common table ``located`` of the month holding
    the ``start``-th newest article of a period of whole months, with the first day of the
    next month that has any (``newer``), the articles of the months after it (``before``) and
    the period's ``total``; none past the end."""
    ops = connection.ops
    month_table = ops.quote_name(PublicationMonth._meta.db_table)
    day_table = ops.quote_name(PublicationDay._meta.db_table)
    this_month = today.replace(day=1)
    month_bounds, month_params = between(first, after, column="month")
    day_bounds, day_params = between(first, after)
    sql = (
        ", months(month, published) AS ("
        f"SELECT month, published FROM {month_table} WHERE published > 0 AND month < %s"
        f"{month_bounds} UNION ALL SELECT month, SUM(published) FROM {day_table} "
        f"WHERE published > 0 AND day >= %s AND day <= %s{day_bounds} GROUP BY month), "
        "located(month, newer, before, total) AS (SELECT month, COALESCE(newer, %s), "
        "running - published, total FROM (SELECT month, published, "
        "SUM(published) OVER (ORDER BY month DESC) AS running, "
        "LAG(month) OVER (ORDER BY month DESC) AS newer, SUM(published) OVER () AS total "
        "FROM months) ranked, scheduled WHERE running > n + %s ORDER BY month DESC LIMIT 1)"
    )
    date = ops.adapt_datefield_value
    params = [
        date(this_month),
        *month_params,
        date(this_month),
        date(today),
        *day_params,
        date(today + timedelta(days=1)),
        start,
    ]
    return sql, params


class DatedArticles:
    """The published articles of a period, newest first, as Django's Paginator takes them,
    each page read as teasers (``Article.objects.page_teasers()``).

    One query over the month and day counts finds both the period's total and the day where
    the page starts (locate()), given the page's ``start``, which the view passes in since the
    paginator asks for the count first. The page's ids are then read from the (status,
    published_at, id) index from the end of that day, skipping at most that day's earlier
    articles. Page 1 and page 8,000 cost the same.
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
