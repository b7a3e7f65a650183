from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        # Signal receivers: the page cache's generation, the search, listing and day indexes
        # follow every save.
        from articles import cache  # noqa: F401
        from articles.dayindex import signals as day_signals  # noqa: F401
        from articles.listings import signals as listing_signals  # noqa: F401
        from articles.search import signals  # noqa: F401
