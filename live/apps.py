from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = _("Live coverage")

    def ready(self):
        # The articles app caches pages, writes backups and the article's JSON-LD without
        # knowing live coverage: its data and its pages' freshness join in here.
        from articles import shells
        from articles.cache import WATCHED_APPS
        from articles.management.backup import PARTS
        from articles.structured_data import NEWS_ARTICLE_EXTENSIONS
        from articles.views import ARTICLE_PAGE_FLAGS
        from live import backup, signals, structured_data  # noqa: F401
        from live.models import LiveCoverage

        # A posted, corrected or withdrawn update shows at once on the live article's page.
        WATCHED_APPS.add(self.label)
        if structured_data.live_blog_posting not in NEWS_ARTICLE_EXTENSIONS:
            NEWS_ARTICLE_EXTENSIONS.append(structured_data.live_blog_posting)
        ARTICLE_PAGE_FLAGS["has_live_coverage"] = (LiveCoverage, "article")
        # Its structured data lists the latest updates: the page is never stored.
        shells.RENDERED_WHOLE.add("has_live_coverage")
        if backup.PART not in PARTS:
            PARTS.append(backup.PART)
