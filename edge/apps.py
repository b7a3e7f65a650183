from django.apps import AppConfig


class EdgeConfig(AppConfig):
    """The caching proxies in front of the site: surrogate keys on pages, purges after saves."""

    name = "edge"

    def ready(self):
        from edge import keys, purge  # noqa: F401  (connect their signal receivers)
