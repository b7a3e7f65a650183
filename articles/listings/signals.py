"""Keep the listing index in step with every article, tagging and byline saved (loaddata
included) or deleted.

Taggit's manager saves and deletes taggings one row at a time, so these see every retag.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import TaggedItem

from articles import listings
from articles.listings.models import AuthorListing


@receiver(post_save, sender="articles.Article")
def article_saved(sender, instance, **kwargs):
    listings.article_saved(instance)


@receiver(pre_save, sender="articles.Article")
def remember_section(sender, instance, **kwargs):
    # The section the article may leave: read before the row is overwritten.
    before = sender._base_manager.filter(pk=instance.pk) if instance.pk else sender.objects.none()
    instance._section_before = before.values_list("section_id", flat=True).first()


@receiver(pre_delete, sender="articles.Article")
def remember_authors(sender, instance, **kwargs):
    # Its listings go with it: whose count to take again is read before.
    listed = AuthorListing.objects.filter(article=instance, published_at__isnull=False)
    instance._authors_before = list(listed.values_list("author_id", flat=True))


@receiver(post_delete, sender="articles.Article")
def count_authors(sender, instance, **kwargs):
    listings.refresh_author_counts(instance._authors_before)


@receiver([post_save, post_delete], sender="articles.Article")
def count_sections(sender, instance, **kwargs):
    listings.refresh_section_counts(
        [instance.section_id, getattr(instance, "_section_before", None)]
    )


@receiver(post_save, sender=TaggedItem)
def tagging_saved(sender, instance, **kwargs):
    listings.tagging_saved(instance)


@receiver(post_delete, sender=TaggedItem)
def tagging_deleted(sender, instance, **kwargs):
    # Its listing went with it (on delete cascade); the article or the tag may be going too.
    listings.refresh_counts([instance.tag_id])


@receiver(m2m_changed, sender="articles.Article_authors")
def bylines_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        # One side is the instance; the other, the keys changed (all of them for a clear).
        others = None if action == "post_clear" else pk_set
        articles, authors = (others, [instance.pk]) if reverse else ([instance.pk], others)
        listings.bylines_changed(articles, authors)
