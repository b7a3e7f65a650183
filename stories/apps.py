from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Stories")

    def ready(self):
        # Signal receivers: pieces follow their article's publication time, pages their edits.
        # The articles app serves the sitemap index and its sections without knowing stories:
        # the section joins its table of sections here.
        from articles.sitemaps import SITEMAPS
        from stories import signals  # noqa: F401
        from stories.sitemaps import StorySitemap

        SITEMAPS.setdefault("stories", StorySitemap)
