"""The stored pages' table: derived from the articles and the code, never edited by hand."""

from django.db import models


class ArticleShell(models.Model):
    """An article's page as one release rendered it once, with its fresh parts left as marks
    (see articles.shells). Valid while the article's row is still the one it was rendered
    from. A page per release: the next one's are stored while this one still serves."""

    # Indexed by the constraint below, which begins with it.
    article = models.ForeignKey(
        "articles.Article", models.CASCADE, related_name="shells", db_index=False
    )
    # The code, the settings pages show and the language it was rendered with (shells.version()).
    version = models.CharField(max_length=64)
    # The article's row as the page was rendered from it, compared with the article's own in
    # SQL (shells.obsolete()). Before the page's text: SQLite reads a row's columns in order,
    # and the text overflows its page.
    updated_at = models.DateTimeField()
    stamp = models.PositiveIntegerField()
    html = models.TextField()
    # The surrogate keys of what the stored part shows (tags, authors, places), which a page
    # served from it must still name for the caching proxies to purge it.
    surrogate_keys = models.TextField(blank=True)
    # The article's tags, which its sidebar ranks other articles by.
    tag_ids = models.JSONField(default=list)

    class Meta:
        app_label = "articles"
        constraints = [
            # What a reader's request joins on, and what storing a page again replaces.
            models.UniqueConstraint(fields=["article", "version"], name="one_page_per_version")
        ]

    def __str__(self):
        return f"{self.article_id}: {self.version}"
