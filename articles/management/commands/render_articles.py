import argparse
import io
import logging
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.db.models import Q
from django.db.models.functions import Mod
from django.utils import translation

from articles import shells
from articles.cache import GENERATION_KEY
from articles.management.progress import ProgressBar
from articles.models import Article
from articles.views import ARTICLE_PAGE_FLAGS, row_exists

logger = logging.getLogger(__name__)

BATCH = 500
# The longest the follower goes without looking for obsolete pages when nothing is saved.
LOOK_AGAIN_SECONDS = 60


class Command(BaseCommand):
    help = (
        "Store this release's readers' page of every published article that has none, or an "
        "obsolete one, newest first: ahead of readers and crawlers, who then get it at the "
        "cost of its fresh parts only. Run by a new release before it serves, while the last "
        "one still serves its own pages. With --follow, keep doing it as pages become "
        "obsolete (an edit, a renamed tag, a publication time come), until stopped."
    )

    # What the follower saw at its last look for obsolete pages (changed()).
    generation = next_look = None

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="store at most this many pages")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="first delete the pages of other releases: once this one serves alone",
        )
        parser.add_argument(
            "--follow",
            action="store_true",
            help="then go on until stopped: store the pages made obsolete since, whenever "
            "anything was saved (asked every --interval seconds) and at least once a minute",
        )
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between asks (default 5)"
        )
        parser.add_argument(
            "--part",
            type=part,
            default=(1, 1),
            metavar="K/N",
            help="only the K-th of N parts of the articles: N processes side by side (each "
            "with --part 1/N to N/N) store the pages N times as fast, given the cores",
        )

    def handle(
        self, *args, limit=None, prune=False, follow=False, interval=5.0, part=(1, 1), **options
    ):
        if not shells.enabled():
            self.stderr.write("Stored pages are off (ARTICLE_SHELLS, or DEBUG): nothing to do.")
            return
        if prune:
            self.stdout.write(f"{shells.prune()} page(s) of other releases deleted.")
        self.part = part
        self.handler = BaseHandler()
        self.handler.load_middleware()
        # Articles rendered at the last pass, as they were then: one still obsolete after it
        # could not be stored (see shells.page()), and is not rendered again until it changes.
        self.rendered = {}
        bar = ProgressBar(self.stderr, "Rendering") if options["verbosity"] else None
        self.changed()
        self.stdout.write(f"{self.render(limit, bar)} article page(s) stored.")
        while follow:
            try:
                time.sleep(interval)
                if not self.changed():
                    continue
                # As a request does: a connection lost (a database restarted) is replaced.
                close_old_connections()
                if stored := self.render():
                    self.stdout.write(f"{stored} article page(s) stored.")
            except DatabaseError:
                logger.warning("Obsolete pages not rendered; trying again", exc_info=True)
            except KeyboardInterrupt:
                return

    def changed(self):
        """Whether to look for obsolete pages again: something was saved since the last look,
        as the page cache's generation tells (every save renews it), or a minute went by (a
        publication time come saves nothing). Looking costs a query over every article (0.3 s
        at 100,000 on SQLite, 0.45 s on PostgreSQL), asking the cache next to nothing."""
        generation, now = cache.get(GENERATION_KEY), time.time()
        if generation is not None and generation == self.generation and now < self.next_look:
            return False
        self.generation, self.next_look = generation, now + LOOK_AGAIN_SECONDS
        return True

    def render(self, limit=None, bar=None):
        """Render the obsolete pages, newest first; how many."""
        obsolete = self.obsolete()
        total = obsolete.count() if bar else 0
        rendered, count, batch = {}, 0, []
        while count != limit:
            # Read a batch whole and go on after its last article: a statement left open
            # while pages are stored would keep SQLite from emptying its write-ahead log
            # (760 MB after 40,000 pages), and PostgreSQL's vacuum from its dead rows.
            after = batch[-1] if batch else None
            older = after and (
                Q(published_at__lt=after.published_at)
                | Q(published_at=after.published_at, pk__lt=after.pk)
            )
            batch = list((obsolete.filter(older) if older else obsolete)[:BATCH])
            for article in batch:
                state = (article.updated_at, article.shell_stamp)
                if self.rendered.get(article.pk) != state:
                    path = article.get_absolute_url()
                    response = self.handler.get_response(reader_request(path))
                    if response.status_code != 200:
                        self.stderr.write(f"{path}: {response.status_code}")
                    count += 1
                rendered[article.pk] = state
                if count == limit:
                    break
            if bar:
                bar.update(len(rendered), total)
            if len(batch) < BATCH:
                break
        if bar:
            bar.finish()
        self.rendered = rendered
        return count

    def obsolete(self):
        """The published articles of this part whose page is obsolete, newest first."""
        # The flags that have an article rendered whole each time: no page of it to store.
        whole = {name: row_exists(*ARTICLE_PAGE_FLAGS[name]) for name in shells.RENDERED_WHOLE}
        with translation.override(settings.LANGUAGE_CODE):  # as readers' requests run
            articles = shells.obsolete(Article.objects.published())
        index, parts = self.part
        if parts > 1:
            articles = articles.alias(part=Mod("pk", parts)).filter(part=index - 1)
        return (
            articles.alias(**whole)
            .filter(**{name: False for name in whole})
            .only("slug", "published_at", "updated_at", "shell_stamp")
            .order_by("-published_at", "-pk")
        )


def part(value):
    """``--part K/N``: (K, N)."""
    index, _, parts = value.partition("/")
    if not (index.isdigit() and parts.isdigit() and 1 <= int(index) <= int(parts)):
        raise argparse.ArgumentTypeError("K/N, where 1 ≤ K ≤ N: 2/4, say")
    return int(index), int(parts)


def reader_request(path):
    """A request for ``path`` as an anonymous reader makes it at the site's public address,
    which the page cache lets through to the view (``rendering_ahead``)."""
    url = urlsplit(settings.SITE_URL)
    secure = url.scheme == "https"
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": url.hostname,
        "SERVER_PORT": str(url.port or (443 if secure else 80)),
        "HTTP_HOST": url.netloc,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": url.scheme,
        "wsgi.input": io.BytesIO(),
    }
    if secure and settings.SECURE_PROXY_SSL_HEADER:
        header, value = settings.SECURE_PROXY_SSL_HEADER
        environ[header] = value
    request = WSGIRequest(environ)
    request.rendering_ahead = True
    return request
