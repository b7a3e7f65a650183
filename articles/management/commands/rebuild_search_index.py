from django.core.management.base import BaseCommand
from django.db import transaction

from articles import search
from articles.management.progress import ProgressBar
from articles.models import Article


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every article, on SQLite or PostgreSQL."

    def handle(self, *args, **options):
        bar = ProgressBar(self.stderr if options["verbosity"] else None, "Indexing")
        # One transaction: readers keep the old index until the new one is whole, and SQLite
        # writes it in one commit instead of one per batch.
        with transaction.atomic():
            search.rebuild(Article.objects.all(), progress=bar.update)
        bar.finish()
