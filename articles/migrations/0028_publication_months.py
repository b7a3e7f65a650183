from django.db import migrations, models
from django.db.models import Max, Sum


def add_up_months(apps, schema_editor):
    """Each month's days added up (code copied, not imported)."""
    PublicationDay = apps.get_model("articles", "PublicationDay")
    PublicationMonth = apps.get_model("articles", "PublicationMonth")
    months = (
        PublicationDay.objects.filter(published__gt=0)
        .values("month")
        .annotate(published=Sum("published"), last_modified=Max("last_modified"))
        .order_by()
    )
    PublicationMonth.objects.bulk_create(
        (PublicationMonth(**row) for row in months.iterator()), batch_size=1000
    )


class Migration(migrations.Migration):
    """Month totals beside the day counts: a page of a listing by date is found among them."""

    dependencies = [
        ("articles", "0027_stored_page_per_release"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicationMonth",
            fields=[
                ("month", models.DateField(primary_key=True, serialize=False)),
                ("published", models.PositiveIntegerField(default=0)),
                ("last_modified", models.DateTimeField()),
            ],
        ),
        migrations.RunPython(add_up_months, migrations.RunPython.noop),
    ]
