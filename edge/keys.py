"""Surrogate keys: every cacheable page names, in its ``Surrogate-Key`` header, what it shows.

Two kinds of key. An *object key* (``article-12``, ``tag-3``, ``author-5``, ``story-2``,
``place-7``) is carried by every page that shows the object: its own page, the listings and
feeds it appears in, the sidebars that link it. The keys are collected from the instances the
page loaded while it was built (``post_init``), so no view or template has to list them.
A *listing key* (``home``, ``tag:ukraine``, ``archive:2026-12``) is carried by the pages that
list articles by that criterion, so that an article entering or leaving the listing reaches
them too. A save purges the object's key and the listings it enters or leaves (edge.purge).

Varnish reads the header through varnish-modules' xkey (deploy/varnish.vcl); Fastly reads
the same header natively.
"""

from contextvars import ContextVar

from django.db.models.signals import post_init
from taggit.models import Tag

from articles.models import Article, Author
from stories.models import Place, Story

HEADER = "Surrogate-Key"
# The models whose instances a page names, and the prefix of their keys.
OBJECT_KEYS = {Article: "article", Tag: "tag", Author: "author", Story: "story", Place: "place"}
# Every cacheable page carries this key too: purging it empties the proxies (after a deploy
# that changes every page's layout, say).
ALL = "all"
HOME = "home"

# The keys of the page being built, or None outside a request that could be cached.
shown = ContextVar("edge.keys.shown", default=None)


def object_key(instance):
    return f"{OBJECT_KEYS[type(instance)]}-{instance.pk}"


def remember(sender, instance, **kwargs):
    """post_init receiver: the page being built shows ``instance``."""
    keys = shown.get()
    if keys is not None and instance.pk is not None:
        keys.add(object_key(instance))


def named():
    """The keys of the page being built so far."""
    return set(shown.get() or ())


def name(keys):
    """The page being built shows these too (what a stored article page showed)."""
    current = shown.get()
    if current is not None:
        current.update(keys)


def show(instances):
    """The page being built shows these too, kept from an earlier page rather than loaded
    (articles.listings.SHOWN_KEPT)."""
    name(object_key(instance) for instance in instances)


for model in OBJECT_KEYS:
    post_init.connect(remember, sender=model, dispatch_uid=f"edge.keys.{model.__name__}")


def listing_key(kind, value):
    return f"{kind}:{value}"


def archive_keys(date):
    """The listing keys of the year, month and day archives that hold ``date`` (Paris)."""
    return {
        listing_key("archive", f"{date:%Y}"),
        listing_key("archive", f"{date:%Y-%m}"),
        listing_key("archive", f"{date:%Y-%m-%d}"),
    }


def route_keys(match):
    """The listing keys of the page a URL led to (its resolver match).

    Listings of a tag, an author, a story or a place carry its slug; date archives their
    period. Any other listing (home, feeds, sitemaps, the stories, a route added later) is one
    of the site's own, under ``home``, which every publication purges.
    """
    name, kwargs = match.view_name, match.kwargs
    if name == "articles:detail":
        return set()
    if name.startswith("articles:archive-"):
        parts = [kwargs[part] for part in ("year", "month", "day") if part in kwargs]
        return {listing_key("archive", "-".join(parts))}
    for prefix, kind in LISTINGS:
        if name.startswith(prefix):
            return {listing_key(kind, kwargs["slug"])}
    return {HOME}


# Route names, by prefix, whose slug names what they list.
LISTINGS = (
    ("articles:tag", "tag"),
    ("articles:author", "author"),
    ("stories:detail", "story"),
    ("stories:feed", "story"),
    ("stories:place", "place"),
)


class SurrogateKeyMiddleware:
    """Name what each shared page shows in its Surrogate-Key header.

    It sits just below the site's own page cache (articles.cache), which stores the header
    with the page and sends it again on every hit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = shown.set(set())
        try:
            response = self.get_response(request)
            keys = shown.get()
        finally:
            shown.reset(token)
        if "public" in response.get("Cache-Control", "") and request.resolver_match:
            keys |= route_keys(request.resolver_match) | {ALL}
            response[HEADER] = " ".join(sorted(keys))
        return response
