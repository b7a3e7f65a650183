"""Purge the proxies' copies of what a save or deletion changed, once it is committed.

Each change names the keys of what it touches (edge.keys): the object's own key, and the
listings it enters or leaves, before and after the change. Keys are gathered over the
transaction and sent once it commits, to every proxy in PURGE_URLS, as ``PURGE`` requests
with an ``xkey-purge`` header (deploy/varnish.vcl). Sending happens on a background thread:
a proxy that is down or slow delays no editor, and never fails a save. A failed purge is
logged, then retried with growing delays; the pages' max-age bounds what a purge given up on
can cost.
"""

import atexit
import heapq
import itertools
import logging
import os
import threading
import time
import urllib.request

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles.models import Article, Author, Correction
from edge.keys import HOME, archive_keys, listing_key, object_key
from live.models import LiveCoverage, LiveUpdate
from stories.models import ArticlePlace, Place, Story, StoryPiece

logger = logging.getLogger(__name__)

# Seconds before each new attempt after a failure; then the purge is given up (and logged).
RETRY_DELAYS = (0.5, 1, 2, 4, 8, 16)
TIMEOUT = 2


class Purger:
    """A background thread sending purges, and retrying the failed ones after a delay."""

    def __init__(self):
        self.lock = threading.Condition()
        self.due = []  # heap of (time, sequence, url, keys, attempt)
        self.sequence = itertools.count()
        self.busy = 0
        self.pid = None

    def send(self, keys):
        with self.lock:
            if self.pid != os.getpid():
                # First use in this process (a gunicorn worker forks after import).
                self.pid, self.due, self.busy = os.getpid(), [], 0
                threading.Thread(target=self.run, name="edge-purger", daemon=True).start()
                # A command (a shell, an import) may end right after its save: send first.
                atexit.register(self.wait, TIMEOUT)
            for url in settings.PURGE_URLS:
                self.schedule(time.monotonic(), url, keys, 0)

    def schedule(self, when, url, keys, attempt):
        heapq.heappush(self.due, (when, next(self.sequence), url, keys, attempt))
        self.lock.notify_all()

    def run(self):
        while True:
            with self.lock:
                while not self.due or self.due[0][0] > time.monotonic():
                    self.lock.wait(self.due[0][0] - time.monotonic() if self.due else None)
                _, _, url, keys, attempt = heapq.heappop(self.due)
                self.busy += 1
            try:
                self.attempt(url, keys, attempt)
            finally:
                with self.lock:
                    self.busy -= 1
                    self.lock.notify_all()

    def attempt(self, url, keys, attempt):
        request = urllib.request.Request(
            url, method="PURGE", headers={"xkey-purge": " ".join(sorted(keys))}
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                response.read()
            logger.info("Purged %s at %s", " ".join(sorted(keys)), url)
        except Exception as error:
            if attempt < len(RETRY_DELAYS):
                logger.warning(
                    "Purge of %s at %s failed (%s); retrying in %s s",
                    " ".join(sorted(keys)),
                    url,
                    error,
                    RETRY_DELAYS[attempt],
                )
                with self.lock:
                    self.schedule(time.monotonic() + RETRY_DELAYS[attempt], url, keys, attempt + 1)
            else:
                logger.error(
                    "Purge of %s at %s given up after %s attempts (%s): pages stay up to "
                    "READER_CACHE_SECONDS old",
                    " ".join(sorted(keys)),
                    url,
                    attempt + 1,
                    error,
                )

    def wait(self, timeout):
        """Wait until nothing is due or being sent (tests); True if so within ``timeout``."""
        with self.lock:
            return self.lock.wait_for(lambda: not self.due and not self.busy, timeout)


purger = Purger()
pending = threading.local()


def purge(*keys):
    """Purge ``keys`` at every proxy once the current transaction commits."""
    if not settings.PURGE_URLS:
        return
    if not hasattr(pending, "keys"):
        pending.keys = set()
    pending.keys.update(keys)
    transaction.on_commit(send_pending)


def send_pending():
    keys, pending.keys = pending.keys, set()
    if keys:
        purger.send(keys)


def article_listings(article):
    """The listing keys of the listings ``article`` is in, as the database says now."""
    keys = {HOME, object_key(article), *archive_keys(timezone.localdate(article.published_at))}
    if article.pk is None:
        return keys
    keys |= {listing_key("tag", slug) for slug in article.tags.values_list("slug", flat=True)}
    keys |= {listing_key("author", slug) for slug in article.authors.values_list("slug", flat=True)}
    keys |= {
        listing_key("story", slug)
        for slug in Story.objects.filter(pieces__article=article).values_list("slug", flat=True)
    }
    keys |= {
        listing_key("place", slug)
        for slug in Place.objects.filter(links__article=article).values_list("slug", flat=True)
    }
    return keys


@receiver(pre_save, sender=Article, dispatch_uid="edge.purge.article_before")
def article_before(sender, instance, raw=False, **kwargs):
    """The listings the article leaves: those of its date as it was committed."""
    if raw or instance.pk is None or not settings.PURGE_URLS:
        return
    if before := Article.objects.filter(pk=instance.pk).values_list("published_at").first():
        purge(*archive_keys(timezone.localdate(before[0])))


@receiver([post_save, post_delete], sender=Article, dispatch_uid="edge.purge.article")
def article_changed(sender, instance, raw=False, **kwargs):
    if not raw and settings.PURGE_URLS:
        purge(*article_listings(instance))


@receiver([post_save, post_delete], sender=Correction, dispatch_uid="edge.purge.correction")
@receiver([post_save, post_delete], sender=LiveCoverage, dispatch_uid="edge.purge.coverage")
def correction_changed(sender, instance, raw=False, **kwargs):
    """A correction, or a live coverage started or closed: the article's pages."""
    if not raw:
        purge(f"article-{instance.article_id}")


@receiver(post_save, sender=Article.history.model, dispatch_uid="edge.purge.revision")
def revision_changed(sender, instance, raw=False, **kwargs):
    """A revision marked significant or withheld: the article's public history pages.

    A revision's ``id`` is its article's.
    """
    if not raw:
        purge(f"article-{instance.id}")


@receiver([post_save, post_delete], sender=LiveUpdate, dispatch_uid="edge.purge.live_update")
def live_update_changed(sender, instance, raw=False, **kwargs):
    # A coverage shares its article's id.
    if not raw:
        purge(f"article-{instance.coverage_id}")


@receiver([post_save, post_delete], sender=TaggedItem, dispatch_uid="edge.purge.tagging")
def tagging_changed(sender, instance, raw=False, **kwargs):
    if raw or not settings.PURGE_URLS:
        return
    slug = Tag.objects.filter(pk=instance.tag_id).values_list("slug", flat=True).first()
    purge(f"article-{instance.object_id}", HOME, *([listing_key("tag", slug)] if slug else []))


@receiver(m2m_changed, sender=Article.authors.through, dispatch_uid="edge.purge.authors")
def authors_changed(sender, instance, action, pk_set, **kwargs):
    if not settings.PURGE_URLS or action not in {"post_add", "post_remove", "pre_clear"}:
        return
    authors = Author.objects.filter(pk__in=pk_set) if pk_set else instance.authors.all()
    slugs = authors.values_list("slug", flat=True)
    purge(object_key(instance), *(listing_key("author", slug) for slug in slugs))


@receiver([post_save, post_delete], sender=Tag, dispatch_uid="edge.purge.tag")
@receiver([post_save, post_delete], sender=Author, dispatch_uid="edge.purge.author")
@receiver([post_save, post_delete], sender=Story, dispatch_uid="edge.purge.story")
@receiver([post_save, post_delete], sender=Place, dispatch_uid="edge.purge.place")
def subject_changed(sender, instance, raw=False, **kwargs):
    """A tag, author, story or place renamed or removed: its pages, and every page naming it."""
    if not raw:
        kind = object_key(instance).split("-")[0]
        purge(object_key(instance), listing_key(kind, instance.slug), HOME)


@receiver([post_save, post_delete], sender=StoryPiece, dispatch_uid="edge.purge.piece")
@receiver([post_save, post_delete], sender=ArticlePlace, dispatch_uid="edge.purge.article_place")
def link_changed(sender, instance, raw=False, **kwargs):
    """An article filed into (or out of) a story or a place."""
    if raw or not settings.PURGE_URLS:
        return
    if sender is StoryPiece:
        kind, slug = "story", Story.objects.filter(pk=instance.story_id).values_list("slug")
    else:
        kind, slug = "place", Place.objects.filter(pk=instance.place_id).values_list("slug")
    purge(f"article-{instance.article_id}", HOME, *(listing_key(kind, s) for (s,) in slug))
