"""Keep the search index in step with every article saved (loaddata included) or deleted."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles import search


@receiver(post_save, sender="articles.Article")
def index_article(sender, instance, **kwargs):
    search.index([instance])


@receiver(post_delete, sender="articles.Article")
def remove_article(sender, instance, **kwargs):
    search.remove([instance.pk])
