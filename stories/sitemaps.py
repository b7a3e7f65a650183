"""The stories' and places' sections of the sitemap index, addresses from SITE_URL."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from articles.sitemaps import SiteSitemap
from stories.models import Place, Story


class StorySitemap(SiteSitemap):
    def items(self):
        return Story.objects.with_published_pieces().order_by("pk")

    def lastmod(self, item):
        # A new piece touches the story (StoryPiece.save), so this follows the timeline too.
        return item.updated_at


class PlaceSitemap(SiteSitemap):
    def items(self):
        latest = Place.timeline_of(OuterRef("pk")).values("published_at")[:1]
        return (
            Place.objects.with_published_coverage()
            .annotate(lastmod=Subquery(latest))
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.lastmod

    def location(self, item):
        return reverse("stories:place", kwargs={"slug": item.slug})
