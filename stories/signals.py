"""How stories follow the articles app without it knowing about them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.cache import bump_generation
from articles.models import Article
from stories.models import Story, StoryPiece


@receiver(post_save, sender=Article, dispatch_uid="stories.signals.follow_publication_time")
def follow_publication_time(sender, instance, raw=False, **kwargs):
    """A rescheduled article moves in its stories' timelines too."""
    if raw:
        return  # Fixtures carry the pieces' own copy of the time.
    StoryPiece.objects.filter(article=instance).exclude(published_at=instance.published_at).update(
        published_at=instance.published_at
    )


@receiver([post_save, post_delete], sender=Story, dispatch_uid="stories.signals.story_changed")
@receiver([post_save, post_delete], sender=StoryPiece, dispatch_uid="stories.signals.piece_changed")
def renew_reader_pages(sender, **kwargs):
    """A story's edit shows at once on its pages and on its articles' "In this thread"."""
    bump_generation()
