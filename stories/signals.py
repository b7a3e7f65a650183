"""How stories follow the articles app without it knowing about them."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.cache import bump_generation
from articles.models import Article
from stories.models import ArticlePlace, Place, Story, StoryPiece


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


@receiver([post_save, post_delete], sender=Story, dispatch_uid="stories.signals.story_changed")
@receiver([post_save, post_delete], sender=StoryPiece, dispatch_uid="stories.signals.piece_changed")
@receiver([post_save, post_delete], sender=Place, dispatch_uid="stories.signals.place_changed")
@receiver(
    [post_save, post_delete], sender=ArticlePlace, dispatch_uid="stories.signals.link_changed"
)
def renew_reader_pages(sender, **kwargs):
    """A story's edit shows at once on its pages and on its articles' "In this thread"."""
    bump_generation()
