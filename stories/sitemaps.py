"""The stories' and places' sitemap files, written with the articles app's sitemap helpers."""

from django.db import connections
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from articles import rows, sitemaps
from articles.links import absolute_url
from articles.models import Article
from stories.models import ArticlePlace, Place, Story, StoryPiece


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
    story_lastmod, place_lastmod = newest_changes()
    files = []
    if story_lastmod:
        files.append((absolute_url(reverse("stories:sitemap-stories")), story_lastmod))
    if place_lastmod:
        files.append((absolute_url(reverse("stories:sitemap-places")), place_lastmod))
    return files


def newest_changes():
    """The lastmods of the stories' file and of the places' file (None while empty), as
    ``story_rows()`` and ``place_rows()`` give them.

    One statement written out: the ORM took longer to build its two queries (3 ms) than the
    database to answer them. Each place's newest piece is one probe of its coverage index:
    aggregating every article's place took 1.6 s at a million articles, nearly all datelined.
    """
    connection = connections[Story.objects.db]  # a replica while a reader page may read one
    quote = connection.ops.quote_name
    story, piece, place, link, article = (
        quote(model._meta.db_table) for model in (Story, StoryPiece, Place, ArticlePlace, Article)
    )
    published = f"{article}.status = %s AND {article}.published_at <= %s"
    sql = (
        f"SELECT (SELECT MAX({story}.updated_at) FROM {story} WHERE EXISTS (SELECT 1 FROM "
        f"{piece} INNER JOIN {article} ON {article}.id = {piece}.article_id "
        f"WHERE {piece}.story_id = {story}.id AND {published})), "
        f"(SELECT MAX((SELECT {article}.published_at FROM {link} INNER JOIN {article} "
        f"ON {article}.id = {link}.article_id WHERE {link}.place_id = {place}.id AND {published} "
        f"ORDER BY {link}.published_at DESC, {link}.article_id DESC LIMIT 1)) FROM {place})"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [Article.Status.PUBLISHED, now] * 2)
        found = cursor.fetchone()
    # Read as the ORM reads a time (on SQLite, an aggregate's is text).
    column = Story._meta.get_field("updated_at").get_col(Story._meta.db_table)
    for convert in rows.column_converters(connection, column):
        found = [convert(value, column, connection) for value in found]
    return found
