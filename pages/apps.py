from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    """The site's own pages (about, legal notice, policies: Django's flat pages, which editors
    write in the admin) and its identity (icons, web app manifest, the publisher's JSON-LD)."""

    name = "pages"
    verbose_name = _("Site pages")

    def ready(self):
        # The articles app writes the pages' layout, their JSON-LD publisher and the backups
        # without knowing this app: its share joins them here.
        from articles.cache import WATCHED_APPS
        from articles.management.backup import PARTS
        from articles.structured_data import PUBLISHER_EXTENSIONS
        from pages import backup, signals, structured_data

        # After the sites framework's own post_migrate, which creates the record (this app
        # has no models, so is sent none).
        post_migrate.connect(signals.name_the_site, sender=self.apps.get_app_config("sites"))

        # An edited page shows at once.
        WATCHED_APPS.add("flatpages")
        if structured_data.add_policies not in PUBLISHER_EXTENSIONS:
            PUBLISHER_EXTENSIONS.append(structured_data.add_policies)
        if backup.PART not in PARTS:
            PARTS.append(backup.PART)
