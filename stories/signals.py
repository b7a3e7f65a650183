"""How stories follow the articles app without it knowing about them."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles import shells
from articles.models import Article
from stories.models import ArticlePlace, Place, StoryPiece


@receiver(post_save, sender=Article, dispatch_uid="stories.signals.follow_article")
def follow_article(sender, instance, raw=False, **kwargs):
    """A rescheduled article moves in its timelines; a typed dateline finds its place."""
    if raw:
        return  # Fixtures carry the links' own copy of the time, and their own places.
    for links in (StoryPiece.objects, ArticlePlace.objects):
        links.filter(article=instance).exclude(published_at=instance.published_at).update(
            published_at=instance.published_at
        )
    # After the commit: the admin saves the article's own places (inlines) after the article,
    # and a dateline chosen there wins over the typed one.
    transaction.on_commit(lambda: Place.objects.match_dateline(instance))


@receiver([post_save, post_delete], sender=ArticlePlace, dispatch_uid="stories.signals.place_link")
def place_link_changed(sender, instance, **kwargs):
    """An article's dateline or places changed: its stored page shows them."""
    shells.bump([instance.article_id])


@receiver(post_save, sender=Place, dispatch_uid="stories.signals.place_renamed")
def place_saved(sender, instance, created, **kwargs):
    if not created:
        shells.bump(Article.objects.filter(place_links__place=instance))
