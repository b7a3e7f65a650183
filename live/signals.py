"""Keep the polls' state in the cache at write time (see live.polling)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article
from live import polling
from live.models import LiveCoverage, LiveUpdate


def renew_after_commit(pk):
    # Only once the change is visible: a poll given the new number before then would look for
    # updates other connections cannot see yet, and keep that answer.
    transaction.on_commit(lambda: polling.remember_state(pk))


@receiver([post_save, post_delete], sender=LiveCoverage, dispatch_uid="live.coverage_changed")
def coverage_changed(sender, instance, raw=False, **kwargs):
    renew_after_commit(instance.pk)


@receiver(post_save, sender=LiveUpdate, dispatch_uid="live.update_changed")
def update_changed(sender, instance, raw=False, **kwargs):
    renew_after_commit(instance.coverage_id)


@receiver(post_save, sender=Article, dispatch_uid="live.article_changed")
def article_changed(sender, instance, raw=False, **kwargs):
    """A live article published, unpublished or rescheduled: its polls follow at once."""
    transaction.on_commit(lambda: polling.forget_state(instance.pk))
