"""A shared page cache for anonymous readers that never serves stale news.

Every cached page's key carries the current *content generation*, which changes whenever an
article, author, tag or anything else of this app is saved or deleted: an edit shows at once.
Entries also expire after READER_CACHE_SECONDS, so a scheduled article, which appears without
any save, reaches every listing within that delay. A broken cache only costs speed: the cache
back-ends (newsroom/cache.py) answer it as a miss, and pages are built from the database.

``shared_cache`` marks a route as a reader page; ``ReaderPageCacheMiddleware``, near the top of
the stack, answers it from the cache before any other middleware runs, and stores what the
stack built, headers included. Each worker also keeps the pages it read from the cache last,
and serves them while the shared generation is still theirs: a hit on the busiest pages then
reads a few bytes from the cache, not the page. Before the view runs it also makes
the address canonical, so that nobody fills the cache with copies of a page or forces misses for
free: only the page number counts, written as the site writes it.
"""

import hashlib
import re
import threading
import time
import uuid
from collections import OrderedDict
from functools import lru_cache, wraps

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe
from django.views.decorators.http import require_safe

from newsroom.cache import cache_resumed

GENERATION_KEY = "reader-pages:generation"
WATCHED_APPS = {"articles", "taggit"}
# Page numbers as the site writes them in its links, up to a million pages: more than any
# listing has (a million articles fill 83,334 pages of 12).
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
# The same number written otherwise: zeros or a plus sign before it, spaces around it. ASCII
# digits only, where int() would also read "٣".
SAME_PAGE_NUMBER = re.compile(r"\s*\+?0*([1-9][0-9]{0,5})\s*", re.ASCII)

# Signing in through the admin gives staff this signed cookie, and signing out takes it away.
# A session cookie alone proves nothing (anyone can make one up, and checking it costs a query),
# so the page cache trusts this marker only: it is checked without touching session or database.
EDITOR_COOKIE = "editor"
EDITOR_COOKIE_SALT = "articles.cache.editor"


def renew_generation():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


@receiver([post_save, post_delete, m2m_changed], dispatch_uid="articles.cache.bump_generation")
def bump_generation(sender=None, **kwargs):
    """Signal receiver: a change to published content makes every cached page obsolete."""
    if sender is not None and sender._meta.app_label not in WATCHED_APPS:
        return
    renew_generation()
    # A worker building a page between this save and its commit reads the old rows, and would
    # store them under the new generation: renew it once more when the change is visible.
    transaction.on_commit(renew_generation)


@receiver(cache_resumed, dispatch_uid="articles.cache.renew_after_outage")
def renew_after_outage(sender, **kwargs):
    """The page cache asks its server again after failing: a save made meanwhile, in this
    process or another, could not renew the generation, so renew it now (every process that
    met the outage does so once). Pages are then built again, rather than the ones stored
    before the save served for up to READER_CACHE_SECONDS."""
    if kwargs["cache"] is caches["default"]:
        renew_generation()


@receiver(user_logged_in, dispatch_uid="articles.cache.editor_signed_in")
def editor_signed_in(sender, request, user, **kwargs):
    request.editor_signed_in = user.is_staff


@receiver(user_logged_out, dispatch_uid="articles.cache.editor_signed_out")
def editor_signed_out(sender, request, **kwargs):
    request.editor_signed_in = False


def mark_editor(response):
    """Give the browser the signed marker that makes its pages fresh and private."""
    response.set_signed_cookie(
        EDITOR_COOKIE,
        "1",
        salt=EDITOR_COOKIE_SALT,
        max_age=settings.SESSION_COOKIE_AGE,
        path=settings.SESSION_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )


def is_anonymous(request):
    """True unless the request carries a session and the signed marker of a signed-in editor."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    marker = request.get_signed_cookie(
        EDITOR_COOKIE, None, salt=EDITOR_COOKIE_SALT, max_age=settings.SESSION_COOKIE_AGE
    )
    return marker is None


def is_private(response):
    """The view said this page is for its requester only, as a preview is: never share it."""
    directives = response.get("Cache-Control", "")
    return "private" in directives or "no-store" in directives


def page_key(path, page):
    """The cache key of a reader page: its path and page number.

    The page is stored with the content generation it was built under, and served only under
    that generation: one read of the cache (the page and the generation together) per hit.
    """
    return "reader-page:" + hashlib.sha256(f"{path}?{page}".encode()).hexdigest()


def shared_cache(view, page_parameter=None, parameters=()):
    """Mark ``view`` as a reader page: shared from the cache with anonymous readers, and CDNs.

    ``page_parameter`` names its page number in the query string (listings take it from the
    view's ``page_kwarg``); ``parameters`` the other query parameters the view reads, which do
    not change the shared page. The view sees no other parameter. Reader pages only read:
    methods other than GET and HEAD get a 405. Editors always get a fresh page marked private.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not is_anonymous(request):
            patch_cache_control(response, private=True, no_store=True)
        elif response.status_code == 200 and not response.cookies and not is_private(response):
            # Shared caches (Varnish, a CDN) keep the page, and a save purges them; a reader's
            # browser cannot be purged, so it asks again each time (a 304 while nothing
            # changed) rather than show an edited page as it was, or a stale one while it
            # revalidates.
            patch_cache_control(
                response, public=True, max_age=0, s_maxage=settings.READER_CACHE_SECONDS
            )
        return response

    cached_view = require_safe(cached_view)
    cached_view.page_parameter = page_parameter or getattr(
        getattr(view, "view_class", None), "page_kwarg", None
    )
    cached_view.parameters = {cached_view.page_parameter, *parameters} - {None}
    return cached_view


def canonical_page(request, view):
    """The page number asked for, and the page's canonical address when it was written otherwise.

    The view then sees only the query parameters it reads. A page number written otherwise
    (``01``, ``+1``, `` 1``, and ``1`` itself: the first page's address has none) gets a
    redirect to the page's address; one that is no page number (``0``, ``last``, ``-1``, a
    huge one) a 404.
    """
    query = QueryDict(mutable=True)
    for name in view.parameters & request.GET.keys():
        query.setlist(name, request.GET.getlist(name))
    request.GET = query
    values = query.getlist(view.page_parameter)
    if not values:
        return 1, None
    if len(values) == 1 and PAGE_NUMBER.fullmatch(values[0]) and values[0] != "1":
        return int(values[0]), None
    written_otherwise = len(values) == 1 and SAME_PAGE_NUMBER.fullmatch(values[0])
    if not written_otherwise:
        raise Http404
    number = int(written_otherwise[1])
    return number, request.path + (f"?{view.page_parameter}={number}" if number > 1 else "")


@lru_cache(maxsize=4096)
def reader_view(urlconf, path):
    """The reader page view that ``path`` leads to, or None; remembered for the busiest paths,
    whose hits would otherwise match every URL pattern again (a fifth of a hit's time)."""
    try:
        view = resolve(path, urlconf).func
    except Resolver404:
        return None
    return view if hasattr(view, "page_parameter") else None


# The request headers that can make a stored page a 304 or a 412.
CONDITIONS = {
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
}


class KeptPages:
    """The pages a worker read from the shared cache last, as it stores them, within bounds.

    Least recently served first out, past ``max_pages`` pages or ``max_bytes`` of content.
    """

    def __init__(self, max_pages, max_bytes):
        self.max_pages, self.max_bytes = max_pages, max_bytes
        self.pages = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()  # gunicorn may run a worker's requests in threads

    def get(self, key):
        with self.lock:
            stored = self.pages.get(key)
            if stored is not None:
                self.pages.move_to_end(key)
            return stored

    def put(self, key, stored):
        if len(stored[2]) > self.max_bytes:
            return
        with self.lock:
            self.discard(key)
            self.pages[key] = stored
            self.size += len(stored[2])
            while len(self.pages) > self.max_pages or self.size > self.max_bytes:
                self.discard(next(iter(self.pages)))

    def discard(self, key):
        stored = self.pages.pop(key, None)
        if stored is not None:
            self.size -= len(stored[2])


class RecentlyAsked:
    """When a worker was last asked for each of the pages it was asked for lately: the
    ``size`` latest, the oldest leaving first. Shared by the worker's threads."""

    def __init__(self, size):
        self.size = size
        self.asked = OrderedDict()
        self.lock = threading.Lock()

    def last(self, key, now):
        """When ``key`` was last asked before ``now`` (None: not lately), ``now`` being
        remembered as the time it was last asked."""
        with self.lock:
            before = self.asked.pop(key, None)
            self.asked[key] = now
            if len(self.asked) > self.size:
                del self.asked[next(iter(self.asked))]
        return before


def current_generation():
    """The content generation of the pages built now, begun here if the shared cache has
    none (it was emptied, or it never held one)."""
    return cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, None)


class KeptByGeneration:
    """What ``read()`` returns, kept by each worker while the content generation it was read
    under is the current one: the menu's sections, which every page shows, and the sidebar's
    candidates (articles.views.kept_candidates).

    The generation is the one ReaderPageCacheMiddleware read from the shared cache for the
    page being built, so a section added or renamed by any worker shows on the next page
    built anywhere, as the page itself would. A request without it (an editor's, the page
    cache turned off, a view called without the middleware) reads afresh and keeps nothing.
    The value is shared by the worker's threads: callers must not change it.
    """

    def __init__(self, read):
        self.read = read
        self.kept = (None, None)  # one tuple, replaced whole: threads never see half of it

    def get(self, request):
        return self.under(getattr(request, "content_generation", None))

    def current(self):
        """What a page built now reads, for a page the page cache does not serve (a missing
        page): the generation read from the shared cache, a query only after a change."""
        return self.under(current_generation())

    def building(self, request):
        """What the page built for ``request`` reads: under the generation the page cache
        read for it, or else (an editor's page, the page cache turned off) the current one."""
        generation = getattr(request, "content_generation", None)
        return self.under(generation) if generation is not None else self.current()

    def under(self, generation):
        kept_generation, value = self.kept
        if generation is None or generation != kept_generation:
            value = self.read()
            if generation is not None:
                self.kept = (generation, value)
        return value


class KeptRenderings:
    """Renderings each worker keeps under a key naming everything they show, so that they
    are never stale: the ``size`` latest, the oldest leaving first. Shared by the worker's
    threads."""

    def __init__(self, size):
        self.size = size
        self.kept = {}
        self.lock = threading.Lock()

    def get(self, key, render):
        try:
            return self.kept[key]
        except KeyError:
            pass
        value = render()
        with self.lock:
            self.kept[key] = value
            if len(self.kept) > self.size:
                del self.kept[next(iter(self.kept))]
        return value

    def clear(self):
        with self.lock:
            self.kept.clear()


class ReaderPageCacheMiddleware:
    """Serve reader pages to anonymous readers from the shared cache, before the stack below.

    A hit answers with the stored response (the headers that the middleware below added on
    the miss included) and honours If-None-Match and If-Modified-Since with a 304.

    Each worker keeps the pages it read from the shared cache last (``kept_pages``,
    ``kept_bytes``). Serving one of them still reads the current generation from the shared
    cache on every request, so an edit shows at once from every worker; what it saves is
    carrying the page out of the cache and unpickling it (with Redis, tens of kilobytes through
    a socket). The middleware keeps no generation itself: a worker cannot know that another
    one saved something unless the shared cache tells it, nor, when that cache is down or
    hung, that it missed an edit (it then builds every page). The Redis client keeps the
    generation only while Redis has promised to push a change to it (newsroom/cache.py).

    A kept page is one that the shared cache held, and it leaves the worker no later than it
    leaves the shared cache (``kept_margin``: the cache rounds a timeout down to whole seconds),
    so that every worker serves the same page: no other worker builds a newer one while it is
    there, and a scheduled article, once shown, stays. Only a cache that evicts pages early,
    when its memory is full, can make a worker show an older page than its neighbours, for the
    rest of that page's READER_CACHE_SECONDS.

    A page enters the shared cache when a worker is asked for it a second time within
    READER_CACHE_SECONDS (``asked_pages`` remembers the latest ones), not the first time.
    Most of an archive's requests are its long tail, a page each that nobody asks again
    within the minute: storing each one cost a sixth of its request (a file written, or tens
    of kilobytes sent to Redis), and pushed the pages readers do ask again (the home page,
    the news of the day) out of a cache of bounded size. CDNs admit objects the same way
    ("cache on second hit"): Akamai found three quarters of the objects it served asked for
    only once (Maggs and Sitaraman, "Algorithmic Nuggets in Content Delivery", 2015). A busy
    page is built a few more times, at most once per worker plus once; a page asked less than
    once a minute per worker is built each time, from its stored article page where it is
    one (articles.shells).
    """

    kept_pages = 256
    kept_bytes = 16 * 1024 * 1024
    kept_margin = 1
    asked_pages = 10_000

    def __init__(self, get_response):
        self.get_response = get_response
        self.kept = KeptPages(self.kept_pages, self.kept_bytes)
        self.asked = RecentlyAsked(self.asked_pages)

    def __call__(self, request):
        response = self.serve(request)
        signed_in = getattr(request, "editor_signed_in", None)
        if signed_in:
            mark_editor(response)
        elif signed_in is False:
            response.delete_cookie(EDITOR_COOKIE, path=settings.SESSION_COOKIE_PATH)
        return response

    def serve(self, request):
        view = self.reader_view(request)
        if view is None:
            return self.get_response(request)
        request.get_host()  # a hit answers before CommonMiddleware: refuse a bad Host here too
        page, canonical = canonical_page(request, view)
        if canonical:
            return HttpResponsePermanentRedirect(canonical)
        if (
            settings.READER_CACHE_SECONDS <= 0
            or not is_anonymous(request)
            # manage.py render_articles: the view must run.
            or getattr(request, "rendering_ahead", False)
        ):
            return self.get_response(request)

        key = page_key(request.path, page)
        now = time.time()
        asked_before = self.asked.last(key, now)
        asked_lately = (
            asked_before is not None and now - asked_before < settings.READER_CACHE_SECONDS
        )
        # A page this worker was not asked for lately is not stored as an article page either
        # (articles.shells.worth_storing()).
        request.asked_before = asked_before is not None
        generation, stored = self.lookup(key)
        if stored is not None:
            return self.from_cache(request, *stored[2:])
        # What the page reads under this generation may come from the worker (KeptByGeneration).
        request.content_generation = generation
        read_at = time.time()  # the view reads the database after this
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "public" in response.get("Cache-Control", "")
            and asked_lately
        ):
            self.store(key, generation, read_at, response)
        return response

    def lookup(self, key):
        """The current generation, and the page stored under it for ``key`` (or None).

        A page this worker kept costs one read of the generation alone; any other, one read
        of the page and the generation together.
        """
        kept = self.kept.get(key)
        expires = settings.READER_CACHE_SECONDS - self.kept_margin
        if kept is not None and kept[1] + expires > time.time():
            generation = cache.get(GENERATION_KEY)
            if generation is not None and generation == kept[0]:
                return generation, kept
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or current_generation()
        stored = found.get(key)
        if stored is None or stored[0] != generation:
            return generation, None
        self.kept.put(key, stored)
        return generation, stored

    @staticmethod
    def store(key, generation, read_at, response):
        """Keep the page for READER_CACHE_SECONDS from the moment its data was read.

        A page that took long to build holds what the database said when it began: counted
        from then, it can never outlive a newer page, so a scheduled article, once shown,
        stays. Nor does it replace a page that another worker began to build later.
        """
        timeout = read_at + settings.READER_CACHE_SECONDS - time.time()
        stored = cache.get(key)
        if timeout > 0 and (stored is None or stored[1] < read_at):
            content = (generation, read_at, response.content, list(response.items()))
            cache.set(key, content, timeout)

    @staticmethod
    def reader_view(request):
        if request.method not in ("GET", "HEAD"):
            return None
        return reader_view(getattr(request, "urlconf", settings.ROOT_URLCONF), request.path_info)

    @staticmethod
    def from_cache(request, content, headers):
        response = HttpResponse(content, headers=dict(headers))
        if not CONDITIONS & request.META.keys():
            return response
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )
