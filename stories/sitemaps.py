"""The stories' section of the sitemap index, addresses from SITE_URL like the others."""

from articles.sitemaps import SiteSitemap
from stories.models import Story


class StorySitemap(SiteSitemap):
    def items(self):
        return Story.objects.with_published_pieces().order_by("pk")

    def lastmod(self, item):
        # A new piece touches the story (StoryPiece.save), so this follows the timeline too.
        return item.updated_at
