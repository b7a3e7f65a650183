"""The stories' and places' sitemap files, written with the articles app's sitemap helpers."""

from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse

from articles import sitemaps
from articles.links import absolute_url
from stories.models import Place, Story


def story_rows():
    """(slug, lastmod) of every story readers may see; a new piece touches its story."""
    return Story.objects.with_published_pieces().order_by("pk").values_list("slug", "updated_at")


def place_rows():
    """(slug, lastmod) of every place readers may see: its newest published article's time."""
    latest = Place.timeline_of(OuterRef("pk")).values("published_at")[:1]
    return (
        Place.objects.with_published_coverage()
        .annotate(lastmod=Subquery(latest))
        .order_by("pk")
        .values_list("slug", "lastmod")
    )


def urlset(rows, route):
    location = sitemaps.slug_locations(route)
    rows = list(rows[: sitemaps.MAX_URLS])
    entries = [sitemaps.url_entry(location(slug), lastmod) for slug, lastmod in rows]
    return sitemaps.urlset(entries, max((lastmod for _, lastmod in rows), default=None))


def stories(request):
    return urlset(story_rows(), "stories:detail")


def places(request):
    return urlset(place_rows(), "stories:place")


def index_entries():
    """The index's entries for these files, each with its newest change; none while empty."""
    files = []
    story_lastmod = story_rows().aggregate(latest=Max("updated_at"))["latest"]
    if story_lastmod:
        files.append((absolute_url(reverse("stories:sitemap-stories")), story_lastmod))
    # Each place's newest piece, one probe of its coverage index: aggregating every article's
    # place took 1.6 s at a million articles, nearly all datelined.
    place_lastmod = max((lastmod for _, lastmod in place_rows() if lastmod), default=None)
    if place_lastmod:
        files.append((absolute_url(reverse("stories:sitemap-places")), place_lastmod))
    return files
