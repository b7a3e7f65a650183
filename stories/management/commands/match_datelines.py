"""Give every article whose free-text dateline names a known place that place as its dateline."""

from django.core.management.base import BaseCommand

from articles import shells
from articles.models import Article
from stories.models import ArticlePlace, Place

BATCH_SIZE = 1000


class Command(BaseCommand):
    help = "Match the articles' free-text datelines to places, by name (case ignored)."

    def handle(self, *args, **options):
        matched = 0
        for place in Place.objects.all():
            # One pass over the archive per place; articles that have a dateline keep it.
            articles = (
                Article.objects.filter(dateline__iexact=place.name)
                .exclude(place_links__is_dateline=True)
                .exclude(place_links__place=place)
                .values_list("pk", "published_at")
            )
            links = [
                ArticlePlace(article_id=pk, place=place, is_dateline=True, published_at=at)
                for pk, at in articles.iterator(chunk_size=BATCH_SIZE)
            ]
            if links:
                ArticlePlace.objects.bulk_create(links, batch_size=BATCH_SIZE)
                # bulk_create sends no signal: the pages must still show the place.
                shells.bump([link.article_id for link in links])
                matched += len(links)
        self.stdout.write(f"{matched} datelines matched to places.")
