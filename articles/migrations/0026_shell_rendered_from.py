import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Stored pages keep what they were rendered from, compared in SQL by render_articles.

    Their table is made anew, those columns before the page's text (SQLite reads a row's
    columns in order): it holds derived data only, which this deploy makes obsolete anyway
    (its code version changes), and render_articles stores again.
    """

    dependencies = [
        ("articles", "0025_taglisting_article_tags"),
    ]

    operations = [
        migrations.DeleteModel(name="ArticleShell"),
        migrations.CreateModel(
            name="ArticleShell",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="shell",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("key", models.CharField(max_length=100)),
                ("updated_at", models.DateTimeField(null=True)),
                ("stamp", models.PositiveIntegerField(null=True)),
                ("html", models.TextField()),
                ("surrogate_keys", models.TextField(blank=True)),
                ("tag_ids", models.JSONField(default=list)),
            ],
        ),
        migrations.RemoveIndex(
            model_name="article",
            name="articles_ar_status_22b528_idx",
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "published_at", "id", "updated_at", "shell_stamp"],
                name="articles_ar_status_51701d_idx",
            ),
        ),
    ]
