"""Keep the day index in step with every article saved (loaddata included) or deleted."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from articles import dayindex


@receiver(pre_save, sender="articles.Article")
def remember_day(sender, instance, raw, **kwargs):
    # The day the article leaves, if its time changes: read before the row is overwritten.
    before = sender._base_manager.filter(pk=instance.pk).values_list("published_at", flat=True)
    instance._day_before = [
        timezone.localdate(published_at) for published_at in (before if instance.pk else [])
    ]


@receiver([post_save, post_delete], sender="articles.Article")
def count_days(sender, instance, **kwargs):
    days = [timezone.localdate(instance.published_at), *getattr(instance, "_day_before", [])]
    dayindex.refresh(days)
