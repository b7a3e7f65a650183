"""The day index's table: derived from the articles, never edited by hand."""

from django.db import models


class PublicationDay(models.Model):
    """How many articles with the published status carry this Paris date, scheduled included."""

    day = models.DateField(primary_key=True)
    published = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "articles"

    def __str__(self):
        return f"{self.day}: {self.published}"
