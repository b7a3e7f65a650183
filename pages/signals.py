from django.contrib.flatpages.models import FlatPage
from django.db.models.signals import pre_save
from django.dispatch import receiver

from articles.html import sanitize


@receiver(pre_save, sender=FlatPage, dispatch_uid="pages.sanitize_flat_page")
def sanitize_flat_page(sender, instance, **kwargs):
    """Pages show their HTML as it is stored: clean it at write time, as an article's body."""
    instance.content = sanitize(instance.content)
