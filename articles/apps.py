from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        # Signal receivers: the page cache's generation, the search, listing and day indexes
        # follow every save, stored pages what they show; a renamed tag keeps its former slug.
        from articles import (
            cache,  # noqa: F401
            tags,  # noqa: F401
        )
        from articles.dayindex import signals as day_signals  # noqa: F401
        from articles.listings import signals as listing_signals  # noqa: F401
        from articles.permissions import name_permissions
        from articles.planner import refresh_statistics
        from articles.search import signals  # noqa: F401
        from articles.shells import signals as shell_signals  # noqa: F401

        # Django creates the permissions after the migrations, in English: then named again.
        post_migrate.connect(name_permissions, dispatch_uid="articles.name_permissions")
        post_migrate.connect(refresh_statistics, sender=self, dispatch_uid="articles.statistics")
