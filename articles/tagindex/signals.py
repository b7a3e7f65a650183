"""Keep the tag index in step with every article and tagging saved (loaddata included) or deleted.

Taggit's manager saves and deletes taggings one row at a time, so these see every retag.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from taggit.models import TaggedItem

from articles import tagindex


@receiver(post_save, sender="articles.Article")
def article_saved(sender, instance, **kwargs):
    tagindex.article_saved(instance)


@receiver(post_save, sender=TaggedItem)
def tagging_saved(sender, instance, **kwargs):
    tagindex.tagging_saved(instance)


@receiver(post_delete, sender=TaggedItem)
def tagging_deleted(sender, instance, **kwargs):
    # Its listing went with it (on delete cascade); the article or the tag may be going too.
    tagindex.refresh_counts([instance.tag_id])
