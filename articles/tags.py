"""Renaming and merging tags without breaking a link: old tag URLs and feeds redirect (301).

A tag's former slugs are kept (``FormerTagSlug``) when an editor changes its slug or merges
it into another; the tag routes answer a slug nobody uses any more with a permanent redirect
to the same route of the tag that took it over.
"""

from functools import wraps

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from articles import listings, rows, search, shells
from articles.listings import anchors
from articles.listings.models import TagAnchor, TagListing
from articles.models import Article, FormerTagSlug


@receiver(pre_save, sender=Tag)
def remember_slug(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        instance._former_slug = (
            Tag.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
        )


@receiver(post_save, sender=Tag)
def keep_former_slug(sender, instance, created, raw=False, **kwargs):
    former = getattr(instance, "_former_slug", None)
    if raw or not (created or (former and former != instance.slug)):
        return
    if former and former != instance.slug:
        FormerTagSlug.objects.update_or_create(slug=former, defaults={"tag": instance})
    # A slug in use again leads to its own tag.
    FormerTagSlug.objects.filter(slug=instance.slug).delete()


def merge(tags, into):
    """Move the taggings of ``tags`` to ``into`` and delete them; their links lead to ``into``.

    A few queries whatever the number of articles: taggings move by UPDATE, with their copies
    in the listing index, and only the ones an article would carry twice are deleted.
    """
    others = [tag for tag in tags if tag.pk != into.pk]
    with transaction.atomic():
        items = TaggedItem.objects.filter(tag__in=others)
        same_object = {"content_type": OuterRef("content_type"), "object_id": OuterRef("object_id")}
        # What an article would carry twice: ``into`` already, or two merged tags (the older
        # tagging stays).
        doubled = items.filter(
            Exists(TaggedItem.objects.filter(tag=into, **same_object))
            | Exists(
                TaggedItem.objects.filter(tag__in=others, pk__lt=OuterRef("pk"), **same_object)
            )
        )
        # Every article carrying a merged tag shows another tag name from now on.
        shown_on = list(items.values_list("object_id", flat=True).distinct())
        delete_taggings(list(doubled.values_list("pk", flat=True)))
        TagListing.objects.filter(tagged_item__in=items).update(tag=into)
        moved = list(items.values_list("object_id", flat=True).distinct())
        items.update(tag=into)
        # UPDATE sends no signal: the search index learns the articles' new tag name here.
        search.refresh_keywords(Article, moved)
        shells.bump(shown_on)
        listings.refresh_counts([into.pk])
        # The moved taggings fall anywhere in the list: its anchors are numbered again.
        anchors.rebuild(TagAnchor, into.pk)
        FormerTagSlug.objects.filter(tag__in=others).update(tag=into)
        FormerTagSlug.objects.bulk_create(
            [FormerTagSlug(slug=tag.slug, tag=into) for tag in others], ignore_conflicts=True
        )
        for tag in others:
            # One by one: each deletion sends the signals that renew the page cache.
            tag.delete()
    return len(others)


def delete_taggings(pks):
    """Delete these taggings and their listings, in batches, without a signal for each row.

    The counts are refreshed and the tags deleted after, which renews the page cache.
    """
    rows.delete(TagListing, "tagged_item", pks)
    rows.delete(TaggedItem, "id", pks)


def follow_former_slugs(route):
    """A tag view that answers a former slug with a permanent redirect to ``route``."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, slug, **kwargs):
            try:
                return view(request, *args, slug=slug, **kwargs)
            except Http404:
                former = FormerTagSlug.objects.filter(slug=slug).select_related("tag").first()
                if former is None:
                    raise
                url = reverse(route, kwargs={"slug": former.tag.slug})
                query = request.GET.urlencode()
                return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)

        return wrapper

    return decorator
