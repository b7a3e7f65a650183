from datetime import date

from django.db import migrations, models
from django.db.models import Count, Max
from django.db.models.functions import Greatest, TruncDate
from django.utils import timezone


def count_days(apps, schema_editor):
    """Count each Paris day again, with its newest change (code copied, not imported)."""
    Article = apps.get_model("articles", "Article")
    PublicationDay = apps.get_model("articles", "PublicationDay")
    days = (
        Article.objects.filter(status="published")
        .annotate(day=TruncDate("published_at"))
        .values("day")
        .annotate(published=Count("pk"), last_modified=Max(Greatest("updated_at", "published_at")))
        .order_by()
    )
    PublicationDay.objects.all().delete()
    PublicationDay.objects.bulk_create(
        (PublicationDay(**row, month=row["day"].replace(day=1)) for row in days.iterator()),
        batch_size=1000,
    )


def count_months(apps, schema_editor):
    """Back to 0010: the month counts again, added up from the days."""
    PublicationDay = apps.get_model("articles", "PublicationDay")
    ArchiveMonth = apps.get_model("articles", "ArchiveMonth")
    months = {}
    for day in PublicationDay.objects.iterator():
        count, last = months.get(day.month, (0, day.last_modified))
        months[day.month] = (count + day.published, max(last, day.last_modified))
    ArchiveMonth.objects.bulk_create(
        ArchiveMonth(month=month, article_count=count, last_modified=last)
        for month, (count, last) in months.items()
    )


class Migration(migrations.Migration):
    """The sitemaps read their month counts from the day index: one count kept, not two."""

    dependencies = [
        ("articles", "0010_author_listing"),
    ]

    # Every row is counted again below: the defaults are never kept.
    operations = [
        migrations.AddField(
            model_name="publicationday",
            name="last_modified",
            field=models.DateTimeField(default=timezone.now),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="publicationday",
            name="month",
            field=models.DateField(default=date(2000, 1, 1)),
            preserve_default=False,
        ),
        migrations.RunPython(count_days, count_months),
        migrations.DeleteModel(name="ArchiveMonth"),
    ]
