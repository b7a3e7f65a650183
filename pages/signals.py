from urllib.parse import urlsplit

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.db import DEFAULT_DB_ALIAS, router
from django.db.models.signals import pre_save
from django.dispatch import receiver

from articles.html import sanitize


@receiver(pre_save, sender=FlatPage, dispatch_uid="pages.sanitize_flat_page")
def sanitize_flat_page(sender, instance, **kwargs):
    """Pages show their HTML as it is stored: clean it at write time, as an article's body."""
    instance.content = sanitize(instance.content)


def name_the_site(apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """Give the sites framework's record the address and name of SITE_URL and SITE_NAME, at
    every migrate (``make run`` and each deploy run one).

    The admin's "view on site" button goes through that record: left as Django creates it,
    it sent editors to example.com.
    """
    try:
        Site = apps.get_model("sites", "Site")
    except LookupError:  # migrated back before the sites framework's table
        return
    if not router.allow_migrate_model(using, Site):
        return
    Site.objects.using(using).update_or_create(
        pk=settings.SITE_ID,
        defaults={"domain": urlsplit(settings.SITE_URL).netloc, "name": settings.SITE_NAME},
    )
