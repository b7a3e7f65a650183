"""The stored pages' table: derived from the articles and the code, never edited by hand."""

from django.db import models


class ArticleShell(models.Model):
    """An article's page as rendered once, with its fresh parts left as marks (see
    articles.shells). Valid while its key is the one the article and the code give now."""

    article = models.OneToOneField(
        "articles.Article", models.CASCADE, primary_key=True, related_name="shell"
    )
    key = models.CharField(max_length=100)
    # What the key was made of besides the code: the article's row as the page was rendered
    # from it. Compared with the article's in SQL, they find the obsolete pages among
    # thousands (shells.obsolete()), where the key could only be worked out in Python. Before
    # the page's text: SQLite reads a row's columns in order, and the text overflows its page.
    updated_at = models.DateTimeField(null=True)
    stamp = models.PositiveIntegerField(null=True)
    html = models.TextField()
    # The surrogate keys of what the stored part shows (tags, authors, places), which a page
    # served from it must still name for the caching proxies to purge it.
    surrogate_keys = models.TextField(blank=True)
    # The article's tags, which its sidebar ranks other articles by.
    tag_ids = models.JSONField(default=list)

    class Meta:
        app_label = "articles"

    def __str__(self):
        return f"{self.article_id}: {self.key}"
