from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from articles.cache import bump_generation

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(bump_generation, dispatch_uid="articles.cache.bump_generation")

        from articles.search import signals  # noqa: F401
