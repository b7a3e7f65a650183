from django.apps import AppConfig


class EdgeConfig(AppConfig):
    """The caching proxies in front of the site: surrogate keys on pages, purges after saves."""

    name = "edge"

    def ready(self):
        from articles import listings, shells
        from edge import keys, purge  # noqa: F401  (connect their signal receivers)

        # A page served from a stored article page names what that page's rendering named.
        if (keys.named, keys.name) not in shells.SURROGATE_KEYS:
            shells.SURROGATE_KEYS.append((keys.named, keys.name))
        # A sidebar names the articles it shows from those its worker kept, unread.
        if keys.show not in listings.SHOWN_KEPT:
            listings.SHOWN_KEPT.append(keys.show)
