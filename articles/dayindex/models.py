"""The day index's tables: derived from the articles, never edited by hand."""

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


class PublicationMonth(models.Model):
    """The days of a month added up: where a listing's page starts is found among a few dozen
    months, then among one month's days, rather than by a running total over every day since
    (4.7 ms for the home page's last page on SQLite, 2,557 days)."""

    month = models.DateField(primary_key=True)  # its first day
    published = models.PositiveIntegerField(default=0)
    last_modified = models.DateTimeField()

    class Meta:
        app_label = "articles"

    def __str__(self):
        return f"{self.month:%Y-%m}: {self.published}"
