"""Absolute links to the site, built from settings.SITE_URL and never from the request's Host."""

import os
import re
from functools import lru_cache
from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

# What the <slug:slug> path converter accepts, and so what reverse() would write unchanged.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
SLUG_MARK = "slug-placeholder"  # a valid slug, which reverse() leaves as it is


def absolute_url(path):
    """The public address of a site path such as ``article.get_absolute_url()``. An address
    that is one already is kept: media in object storage, static files on a CDN."""
    if path.startswith(("https://", "http://")):
        return path
    return settings.SITE_URL + path


def route_url(viewname):
    """``reverse(viewname)`` of a route without arguments, once per process: the home page
    and the policy pages, which every article's structured data names."""
    return route_parts(viewname, None)[0]


def slug_url(viewname, slug, **kwargs):
    """``reverse(viewname, kwargs={"slug": slug, **kwargs})``, reversed once per route and
    other arguments rather than once per object: a list of 45 teasers links to 45 articles
    and as many authors, and reverse() took a tenth of such a page's time."""
    return slug_urls(viewname, **kwargs)(slug)


def slug_urls(viewname, **kwargs):
    """slug -> ``slug_url(viewname, slug, **kwargs)``, for many links of one route and other
    arguments, such as a sitemap's: the route is looked up once, not once per link."""
    prefix, suffix = route_parts(viewname, tuple(kwargs.items()))

    def url(slug):
        if not SLUG.fullmatch(slug):
            return reverse(viewname, kwargs={"slug": slug, **kwargs})  # its own NoReverseMatch
        return prefix + slug + suffix

    return url


def routing():
    """What reverse() reads besides its arguments, the URL configuration and the script
    prefix: the key, with their own, of what a process keeps of its results."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


def pk_url(viewname, pk):
    """``reverse(viewname, kwargs={"pk": pk})``, reversed once per route rather than once per
    object: a feed's thirty short links cost 0.5 ms so."""
    prefix, suffix = pk_route(*routing(), viewname)
    return f"{prefix}{int(pk)}{suffix}"


@lru_cache(maxsize=64)
def pk_route(urlconf, script_prefix, viewname):
    """The route's path before and after its key: what reverse() writes for keys 1 and 22,
    which share no first nor last digit, has in common at each end. reversed_route() finds
    a slug's place with one reverse() and a mark, which the int converter refuses; slug
    routes keep that, being reversed for each day of articles a worker meets (27 µs a day
    rather than 51 the way of this one)."""
    one, other = (reverse(viewname, urlconf, kwargs={"pk": pk}) for pk in (1, 22))
    suffix = os.path.commonprefix([one[::-1], other[::-1]])[::-1]
    return os.path.commonprefix([one, other]), suffix


def route_parts(viewname, kwargs):
    return reversed_route(*routing(), viewname, kwargs)


@lru_cache(maxsize=8192)
def reversed_route(urlconf, script_prefix, viewname, kwargs):
    """The route's path before and after its slug (a day of articles each), or the path alone
    for a route without arguments (``kwargs`` None)."""
    if kwargs is None:
        return [reverse(viewname, urlconf)]
    return reverse(viewname, urlconf, kwargs={**dict(kwargs), "slug": SLUG_MARK}).split(SLUG_MARK)


def share_links(title, url):
    """Plain share links for the networks readers use; no script from any of them."""
    return [
        ("x", "X", "https://x.com/intent/post?" + urlencode({"text": title, "url": url})),
        (
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        ),
        ("whatsapp", "WhatsApp", "https://wa.me/?" + urlencode({"text": f"{title} {url}"})),
        (
            "telegram",
            "Telegram",
            "https://t.me/share/url?" + urlencode({"url": url, "text": title}),
        ),
        (
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        (
            "email",
            _("E-mail"),
            f"mailto:?subject={quote(title, safe='')}&body={quote(url, safe='')}",
        ),
    ]
