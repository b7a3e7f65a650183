from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "stories"
    verbose_name = _("Stories")

    def ready(self):
        # Signal receivers: pieces follow their article's publication time, pages their edits.
        from stories import signals  # noqa: F401
