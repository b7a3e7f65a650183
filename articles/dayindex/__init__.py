"""The day index: how many published articles each day has, kept at write time.

The home page and the date archives ask it for their navigation (the years, months or days
that have articles) and for their paginators' counts, where ``.dates()`` and ``COUNT`` read
every article of the period: 2.6 s for the home page's years on a 100,000-article archive.
Scheduled articles, which appear without any save, are counted with the published ones and
subtracted when read: they are the few at the far end of the (status, published_at) index.
signals.py keeps the table in step with every save; rebuild() remakes it after bulk writes.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, DateField, Exists, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Trunc, TruncDate
from django.utils import timezone

from articles.dayindex.models import PublicationDay

BATCH_SIZE = 1000


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
    """Count these days again (a few index reads each)."""
    for day in set(days):
        published = articles_of(day, day + timedelta(days=1)).count()
        if published:
            PublicationDay.objects.update_or_create(day=day, defaults={"published": published})
        else:
            PublicationDay.objects.filter(day=day).delete()


def rebuild():
    """Remake the table from the articles (after bulk_create or a restore)."""
    days = (
        articles_of()
        .annotate(day=TruncDate("published_at"))
        .values("day")
        .annotate(published=Count("pk"))
        .order_by()
    )
    with transaction.atomic():
        PublicationDay.objects.all().delete()
        PublicationDay.objects.bulk_create(
            (PublicationDay(**row) for row in days.iterator()), batch_size=BATCH_SIZE
        )


def days_of(first=None, after=None):
    days = PublicationDay.objects.filter(published__gt=0)
    if first is not None:
        days = days.filter(day__gte=first)
    if after is not None:
        days = days.filter(day__lt=after)
    return days


def shown_days(first=None, after=None):
    """The days between these that show articles now."""
    from articles.models import Article

    today = timezone.localdate()
    # Days before today show all theirs; today only if one of its articles' time has come.
    shown_today = Exists(Article.objects.published().filter(published_at__gte=midnight(today)))
    return days_of(first, after).filter(Q(day__lt=today) | (Q(day=today) & shown_today))


def truncate(day, kind):
    return {"year": day.replace(month=1, day=1), "month": day.replace(day=1), "day": day}[kind]


def nearest(before=None, since=None):
    """The last day before ``before``, or the first from ``since`` on, that shows articles."""
    if before is not None:
        return shown_days(after=before).order_by("-day").values_list("day", flat=True).first()
    return shown_days(first=since).order_by("day").values_list("day", flat=True).first()


def periods(kind, first=None, after=None, ordering="ASC"):
    """The years, months or days (``kind``) between these days that show articles now."""
    days = shown_days(first, after)
    order = "period" if ordering == "ASC" else "-period"
    return list(
        days.annotate(period=Trunc("day", kind, output_field=DateField()))
        .order_by(order)
        .values_list("period", flat=True)
        .distinct()
    )


def count(first=None, after=None):
    """How many articles readers see now between these days (either end open)."""
    scheduled = (
        articles_of(first, after)
        .filter(published_at__gt=timezone.now())
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values("n")
    )
    total = days_of(first, after).aggregate(
        n=Coalesce(Sum("published"), 0) - Coalesce(Subquery(scheduled), 0)
    )
    return total["n"]
