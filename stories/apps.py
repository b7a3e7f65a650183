from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Stories")

    def ready(self):
        # Signal receivers: pieces follow their article's publication time, pages their edits.
        # The articles app serves the sitemap index and the article's JSON-LD, and writes the
        # backups, without knowing stories or places: their sections and data join its tables here.
        from articles.cache import WATCHED_APPS
        from articles.management.backup import PARTS
        from articles.sitemaps import INDEX_ENTRIES
        from articles.structured_data import NEWS_ARTICLE_EXTENSIONS
        from articles.views import ARTICLE_PAGE_FLAGS
        from stories import (
            backup,
            models,
            signals,  # noqa: F401
            sitemaps,
            structured_data,
        )

        # A story's edit shows at once on its pages and on its articles' "In this thread".
        WATCHED_APPS.add(self.label)
        if sitemaps.index_entries not in INDEX_ENTRIES:
            INDEX_ENTRIES.append(sitemaps.index_entries)
        if structured_data.add_places not in NEWS_ARTICLE_EXTENSIONS:
            NEWS_ARTICLE_EXTENSIONS.append(structured_data.add_places)
        ARTICLE_PAGE_FLAGS.update(
            in_stories=(models.StoryPiece, "article"), has_places=(models.ArticlePlace, "article")
        )
        if backup.PART not in PARTS:
            PARTS.append(backup.PART)
