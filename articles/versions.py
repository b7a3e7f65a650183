"""An article's public history: which of its revisions readers may read and compare.

Every save leaves a revision (django-simple-history); readers see only those that count:
- the version published first: the last revision saved before the publication time (a
  scheduled article may be edited until it goes live), or else the first saved since;
- later revisions that editors marked significant (``Article.mark_significant``);
- the current article, always.
A version editors withheld (a legal removal) stays listed as withheld, with its dates, but
its text can no longer be read or compared.
"""

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from articles.dates import house_date
from articles.models import Article

# What the list needs of a revision; the text is read only for the version shown.
LISTED_FIELDS = ["history_id", "history_date", "status", "significant", "withheld_at"]


@dataclass
class Version:
    record: object  # a historical record of the article
    time: datetime  # when readers first saw it
    article: Article

    @property
    def pk(self):
        return self.record.pk

    @property
    def withheld(self):
        return self.record.withheld_at is not None

    def __str__(self):
        local = timezone.localtime(self.time)
        return _("Version of %(date)s at %(time)s") % {
            "date": house_date(local, "j F Y"),
            "time": local.strftime("%H:%M"),
        }

    def get_absolute_url(self):
        return reverse("articles:version", kwargs={**self.article.url_kwargs(), "version": self.pk})


class PublicHistory:
    """The versions of a published article that readers may see, oldest first."""

    def __init__(self, article):
        self.article = article

    @cached_property
    def versions(self):
        """One query, bounded by the article's own revisions, whatever the archive's size."""
        records = list(
            self.article.history.filter(status=Article.Status.PUBLISHED)
            .order_by("history_date", "history_id")
            .only(*LISTED_FIELDS)
        )
        if not records:
            return []
        published_at = self.article.published_at
        before = [record for record in records if record.history_date <= published_at]
        first = before[-1] if before else records[0]
        later = [
            record
            for record in records
            if record.history_date > first.history_date and record.significant
        ]
        return [
            Version(first, max(first.history_date, published_at), self.article),
            *(Version(record, record.history_date, self.article) for record in later),
        ]

    @property
    def readable_versions(self):
        return [version for version in self.versions if not version.withheld]

    def readable(self, pk):
        """The version ``pk`` with its text, if readers may read it; else Http404.

        A withheld version answers as one that never existed.
        """
        for version in self.versions:
            if version.pk == pk and not version.withheld:
                version.record = self.article.history.get(pk=pk)
                return version
        raise Http404

    def timeline(self, corrections):
        """The versions and the corrections, oldest first, as ``(kind, item)`` pairs."""
        entries = [(version.time, "version", version) for version in self.versions]
        entries += [(correction.created_at, "correction", correction) for correction in corrections]
        return [(kind, item) for _, kind, item in sorted(entries, key=lambda entry: entry[0])]
