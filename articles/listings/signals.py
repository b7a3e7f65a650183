"""Keep the listing index in step with every article, tagging and byline saved (loaddata
included) or deleted.

Taggit's manager saves and deletes taggings one row at a time, so these see every retag.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from articles import listings
from articles.listings import anchors
from articles.listings.models import AuthorAnchor, AuthorListing, TagAnchor, TagListing


@receiver(post_save, sender="articles.Article")
def article_saved(sender, instance, **kwargs):
    listings.article_saved(instance)


@receiver(pre_save, sender="articles.Article")
def remember_section(sender, instance, **kwargs):
    # The section the article may leave, and its place there: read before the row is
    # overwritten.
    before = sender._base_manager.filter(pk=instance.pk) if instance.pk else sender.objects.none()
    instance._section_before = before.values_list("section_id", "status", "published_at").first()


@receiver(pre_delete, sender="articles.Article")
def remember_authors(sender, instance, **kwargs):
    # Its listings go with it: whose count to take again, and where, is read before.
    listed = AuthorListing.objects.filter(article=instance, published_at__isnull=False)
    instance._authors_before = sorted(listed.values_list("author_id", "published_at"))


@receiver(post_delete, sender="articles.Article")
def count_authors(sender, instance, **kwargs):
    for author, published_at in instance._authors_before:
        anchors.moved(AuthorAnchor, author, published_at, None)
    listings.refresh_author_counts([author for author, _ in instance._authors_before])


@receiver(post_save, sender="articles.Article")
def count_sections(sender, instance, **kwargs):
    before = getattr(instance, "_section_before", None)
    now = (instance.section_id, instance.status, instance.published_at)
    listings.section_moved(before, now)
    listings.refresh_section_counts([instance.section_id, before and before[0]])


@receiver(post_delete, sender="articles.Article")
def uncount_section(sender, instance, **kwargs):
    listings.section_moved((instance.section_id, instance.status, instance.published_at), None)
    listings.refresh_section_counts([instance.section_id])


@receiver(post_save, sender=TaggedItem)
def tagging_saved(sender, instance, **kwargs):
    listings.tagging_saved(instance)


@receiver(pre_delete, sender=TaggedItem)
def remember_listing(sender, instance, origin=None, **kwargs):
    # Where its listing stood, read before it goes; a tag being deleted takes its anchors.
    listed = TagListing.objects.filter(pk=instance.pk, published_at__isnull=False)
    deleting_tag = isinstance(origin, Tag) or getattr(origin, "model", None) is Tag
    instance._listed = None if deleting_tag else listed.values_list("published_at").first()


@receiver(post_delete, sender=TaggedItem)
def tagging_deleted(sender, instance, **kwargs):
    # Its listing went with it (on delete cascade); the article or the tag may be going too.
    if listed := getattr(instance, "_listed", None):
        anchors.moved(TagAnchor, instance.tag_id, listed[0], None)
    listings.refresh_counts([instance.tag_id])


@receiver(m2m_changed, sender="articles.Article_authors")
def bylines_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        # One side is the instance; the other, the keys changed (all of them for a clear).
        others = None if action == "post_clear" else pk_set
        articles, authors = (others, [instance.pk]) if reverse else ([instance.pk], others)
        listings.bylines_changed(articles, authors)
