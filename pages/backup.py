"""The site pages' share of the archive that export_archive writes and import_archive restores."""

from django.contrib.flatpages.models import FlatPage

from articles.management.backup import Part


def datasets():
    return [(FlatPage, FlatPage.objects.prefetch_related("sites"))]


PART = Part(datasets, lambda: [])
