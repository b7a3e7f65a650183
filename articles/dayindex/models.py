"""The day index's table: derived from the articles, never edited by hand."""

from django.db import models


class PublicationDay(models.Model):
    """The articles with the published status of a Paris date (scheduled included): how many,
    and their newest change (a save, or a publication time if later)."""

    day = models.DateField(primary_key=True)
    published = models.PositiveIntegerField(default=0)
    last_modified = models.DateTimeField()

    class Meta:
        app_label = "articles"

    def __str__(self):
        return f"{self.day}: {self.published}"
