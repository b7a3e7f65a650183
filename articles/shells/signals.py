"""Stored article pages made obsolete by what they show besides the article's own row.

A save of the article changes its ``updated_at``, which a stored page is compared with already.
These receivers bump ``Article.shell_stamp`` for the rest: its tags, authors, section and
corrections, and their names. Other apps add theirs (stories: places).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from articles import shells
from articles.models import (
    Article,
    Author,
    Correction,
    Section,
    articles_with_changed_bylines,
)


def is_article(tagged_item):
    return tagged_item.content_type_id == ContentType.objects.get_for_model(Article).pk


@receiver(post_save, sender=Article, dispatch_uid="articles.shells.loaded")
def article_loaded(sender, instance, raw=False, **kwargs):
    """A row loaded from a fixture keeps the updated_at it had: its stored page goes anyway."""
    if raw:
        shells.bump([instance.pk])


@receiver([post_save, post_delete], sender=TaggedItem, dispatch_uid="articles.shells.tagging")
def tagging_changed(sender, instance, **kwargs):
    if is_article(instance):
        shells.bump([instance.object_id])


@receiver(post_delete, sender=Correction, dispatch_uid="articles.shells.correction")
def correction_deleted(sender, instance, **kwargs):
    # A saved correction touches the article's updated_at (Correction.save).
    shells.bump([instance.article_id])


@receiver(m2m_changed, sender=Article.authors.through, dispatch_uid="articles.shells.bylines")
def bylines_changed(sender, instance, action, reverse, pk_set, **kwargs):
    changed = articles_with_changed_bylines(instance, action, reverse, pk_set)
    if changed is not None:
        shells.bump(changed)


@receiver(pre_delete, sender=Author, dispatch_uid="articles.shells.author_deleting")
def author_deleting(sender, instance, **kwargs):
    # Its bylines go with it without any m2m signal.
    shells.bump(instance.articles.all())


@receiver(post_save, sender=Tag, dispatch_uid="articles.shells.tag")
def tag_saved(sender, instance, created, **kwargs):
    if not created:
        tagged = TaggedItem.objects.filter(
            tag=instance, content_type=ContentType.objects.get_for_model(Article)
        )
        shells.bump(Article.objects.filter(pk__in=tagged.values("object_id")))


@receiver(post_save, sender=Author, dispatch_uid="articles.shells.author")
@receiver(post_save, sender=Section, dispatch_uid="articles.shells.section")
def named_saved(sender, instance, created, **kwargs):
    """An author or section renamed: the bylines, breadcrumbs and structured data naming it."""
    if not created:
        shells.bump(instance.articles.all())
