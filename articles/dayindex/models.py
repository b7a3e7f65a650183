"""The day index's table: derived from the articles, never edited by hand."""

from django.db import models


class PublicationDay(models.Model):
    """The articles with the published status of a Paris date (scheduled included): how many,
    and their newest change (a save, or a publication time if later)."""

    day = models.DateField(primary_key=True)
    # The day's month (its first day), so that the sitemaps add months up with a plain GROUP BY:
    # truncating each day instead costs SQLite a Python call per row.
    month = models.DateField()
    published = models.PositiveIntegerField(default=0)
    last_modified = models.DateTimeField()

    class Meta:
        app_label = "articles"

    def __str__(self):
        return f"{self.day}: {self.published}"
