import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """A stored page per article and release: the next release's pages are stored while this
    one still serves its own, so that no reader pays for a whole page after a deploy.

    The table is made anew (its primary key changes): it holds derived data only, which
    render_articles stores again.
    """

    dependencies = [
        ("articles", "0026_shell_rendered_from"),
    ]

    operations = [
        migrations.DeleteModel(name="ArticleShell"),
        migrations.CreateModel(
            name="ArticleShell",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="shells",
                        to="articles.article",
                    ),
                ),
                ("version", models.CharField(max_length=64)),
                ("updated_at", models.DateTimeField()),
                ("stamp", models.PositiveIntegerField()),
                ("html", models.TextField()),
                ("surrogate_keys", models.TextField(blank=True)),
                ("tag_ids", models.JSONField(default=list)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("article", "version"), name="one_page_per_version"
                    )
                ],
            },
        ),
    ]
