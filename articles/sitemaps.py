"""Sitemaps within the protocol's limits (50,000 URLs and 50 MB a file), whatever the archive.

The index lists one file of articles per month (split in pages of 50,000 if a month ever holds
more), the tags, the sections, the year and month archives, each with its newest change. No
file reads more than one month of articles: a month's file reads it through the (status,
published_at, id, updated_at) index, as plain values (no model instance and no template per
URL); the index and the archive files sum the day counts kept at write time
(articles.dayindex) by month.

Written as small views rather than with django.contrib.sitemaps, whose views take the domain
from the request's Host header and build a model instance and a template context per URL:
every address here comes from SITE_URL, and the XML is written directly.
"""

import re
from datetime import datetime, time, timedelta
from functools import lru_cache
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Count, Exists, Max, OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from taggit.models import Tag

from articles import dayindex, listings
from articles.links import absolute_url, routing, slug_urls
from articles.models import Article, Section

MAX_URLS = 50_000
# The site's zone, looked up once: timezone.localtime() per URL costs more than the URL.
ZONE = timezone.get_default_timezone()
NEWS_LIMIT = 1_000
NEWS_WINDOW = timedelta(hours=48)
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
# Page numbers as links write them: "?p=2", never "?p=02" or "?p=+2".
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")
# Other apps' files in the index: functions returning their (location, lastmod) pairs, none
# while they have nothing to list. Filled by those apps' AppConfig.ready(): articles does not
# know them.
INDEX_ENTRIES = []


def month_start(moment):
    """Midnight on the first of ``moment``'s month, in the site's time zone (as article URLs)."""
    local = timezone.localtime(moment, ZONE)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def month_articles(start):
    """The published articles of the month beginning at ``start``, oldest first."""
    # The month's bounds come first: with bound parameters SQLite scans the index between the
    # first bounds it is given, and published()'s "until now" would be the whole archive since.
    return (
        Article.objects.filter(
            published_at__gte=start, published_at__lt=dayindex.month_after(start)
        )
        .published()
        .order_by("published_at", "pk")
    )


def archive_months():
    """Each month holding published articles, oldest first: (start, article count, lastmod).

    Past months add up their day counts kept at write time (articles.dayindex); the current
    month, where scheduled articles may still wait for their time, is counted from its articles.
    """
    current = month_start(timezone.now())
    months = [
        (timezone.make_aware(datetime.combine(month, time()), ZONE), count, lastmod)
        for month, count, lastmod in dayindex.month_totals(before=current.date())
    ]
    totals = month_articles(current).aggregate(
        count=Count("pk"), lastmod=Max(dayindex.LAST_MODIFIED)
    )
    if totals["count"]:
        months.append((current, totals["count"], totals["lastmod"]))
    return months


def used_tags():
    """Tags carried by at least one published article, by name.

    An EXISTS per tag stops at its first published article, where a join would read every
    tagging of the archive.
    """
    tagged = Article.objects.published().filter(tags=OuterRef("pk"))
    return Tag.objects.filter(Exists(tagged)).order_by("name", "pk")


def sections_with_articles():
    """Sections showing articles, in menu order, each with its newest publication as
    ``lastmod``: one bounded read of its index per section, never a count of its articles."""
    newest = (
        Article.objects.published()
        .filter(section=OuterRef("pk"))
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    return Section.objects.annotate(lastmod=Subquery(newest)).filter(lastmod__isnull=False)


def newest_publication():
    return Article.objects.published().aggregate(latest=Max("published_at"))["latest"]


def page_slice(request):
    """The (offset, end) of the ``?p=`` page of MAX_URLS; 404 for anything but a page number."""
    value = request.GET.get("p", "1")
    if not PAGE_NUMBER.fullmatch(value):
        raise Http404("No such sitemap page.")
    offset = (int(value) - 1) * MAX_URLS
    return offset, offset + MAX_URLS


def page_locations(path, count):
    """The address of each page of a file listing ``count`` URLs."""
    location = absolute_url(path)
    pages = max(1, -(-count // MAX_URLS))
    return [location + (f"?p={page}" if page > 1 else "") for page in range(1, pages + 1)]


def w3c_date(moment):
    return moment.astimezone(ZONE).date().isoformat()


def xml_response(root, entries, last_modified=None, namespaces=""):
    """An XML sitemap document: ``root`` holding the ``entries``, already-escaped XML strings."""
    body = "".join(
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<{root} xmlns="{SITEMAP_NS}"{namespaces}>\n',
            *entries,
            f"</{root}>\n",
        )
    )
    response = HttpResponse(body, content_type="application/xml")
    # Sitemaps are for crawlers to read, not for search results.
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    return response


def url_entry(location, lastmod=None, extra=""):
    lastmod = f"<lastmod>{w3c_date(lastmod)}</lastmod>" if lastmod else ""
    return f"<url><loc>{escape(location)}</loc>{lastmod}{extra}</url>\n"


def urlset(entries, last_modified=None, namespaces=""):
    if not entries:
        raise Http404("Empty sitemap.")
    return xml_response("urlset", entries, last_modified, namespaces)


def index(request):
    """The sitemap index: each file (and page of a file) with its newest change."""
    months, route = archive_months(), routing()
    files = [
        (location, lastmod)
        for start, count, lastmod in months
        for location in page_locations(month_file(*route, start.year, start.month), count)
    ]
    if months:
        newest = max(lastmod for _, _, lastmod in months)
        tag_count = listings.used_tag_count()
        if tag_count:
            tags_lastmod = newest_publication()
            files += [
                (location, tags_lastmod)
                for location in page_locations(reverse("articles:sitemap-tags"), tag_count)
            ]
        sections_lastmod = max((s.lastmod for s in sections_with_articles()), default=None)
        if sections_lastmod:
            files.append((absolute_url(reverse("articles:sitemap-sections")), sections_lastmod))
        files += [
            (absolute_url(reverse(name)), newest)
            for name in ("articles:sitemap-years", "articles:sitemap-months")
        ]
    for entries_of in INDEX_ENTRIES:
        files += entries_of()
    entries = [
        f"<sitemap><loc>{escape(location)}</loc><lastmod>{w3c_date(lastmod)}</lastmod></sitemap>\n"
        for location, lastmod in files
    ]
    latest = max((lastmod for _, lastmod in files), default=None)
    return xml_response("sitemapindex", entries, latest)


@lru_cache(maxsize=1024)
def month_file(urlconf, script_prefix, year, month):
    """The path of a month's file of articles, reversed once per process rather than on each
    index: the index lists some ninety of them, and reversing them took 2.7 ms of its 18
    (PostgreSQL), 0.2 so. ``urlconf`` and ``script_prefix`` are links.routing()'s."""
    return reverse("articles:sitemap-articles", urlconf, kwargs={"year": year, "month": month})


def articles(request, year, month):
    """The articles published in one month (Paris time), each with its last change."""
    try:
        start = timezone.make_aware(datetime(int(year), int(month), 1), ZONE)
    except ValueError:
        raise Http404("No such month.") from None
    offset, end = page_slice(request)
    rows = month_articles(start).values_list("slug", "published_at", "updated_at")[offset:end]
    entries, lastmods, location = [], [], article_locations()
    for slug, published_at, updated_at in rows:
        lastmod = max(published_at, updated_at)
        lastmods.append(lastmod)
        entries.append(url_entry(location(slug, published_at), lastmod))
    return urlset(entries, max(lastmods, default=None))


def slug_locations(route, **kwargs):
    """Slug -> absolute URL of ``route``, for files of many URLs of one route."""
    url = slug_urls(route, **kwargs)
    return lambda slug: absolute_url(url(slug))


def article_locations():
    """(slug, publication time) -> the article's absolute URL, for a file of many articles:
    the route is looked up once per day of publication, not once per URL (a month's 1,138
    URLs took 9 ms that way)."""
    days = {}

    def location(slug, published_at):
        day = published_at.astimezone(ZONE).date()
        try:
            of_day = days[day]
        except KeyError:
            of_day = days[day] = slug_locations(
                "articles:detail", year=day.year, month=day.month, day=day.day
            )
        return of_day(slug)

    return location


def tags(request):
    """Every tag page; tags carry no lastmod, which would mean reading every tagging."""
    offset, end = page_slice(request)
    names = used_tags().values_list("slug", flat=True)[offset:end]
    location = slug_locations("articles:tag")
    entries = [url_entry(location(slug)) for slug in names]
    return urlset(entries, newest_publication() if entries else None)


def sections(request):
    """Every section page that lists articles, with its newest publication."""
    sections = list(sections_with_articles())
    entries = [url_entry(absolute_url(s.get_absolute_url()), s.lastmod) for s in sections]
    return urlset(entries, max((s.lastmod for s in sections), default=None))


def years(request):
    """Year archive pages, each with the newest change of its months."""
    by_year = {}
    for start, _, lastmod in archive_months():
        by_year[start.year] = max(lastmod, by_year.get(start.year, lastmod))
    entries = [
        url_entry(absolute_url(reverse("articles:archive-year", kwargs={"year": year})), lastmod)
        for year, lastmod in by_year.items()
    ]
    return urlset(entries, max(by_year.values(), default=None))


def months(request):
    """Month archive pages, each with its newest change."""
    months = archive_months()
    entries = [
        url_entry(
            absolute_url(
                reverse("articles:archive-month", kwargs={"year": start.year, "month": start.month})
            ),
            lastmod,
        )
        for start, _, lastmod in months
    ]
    return urlset(entries, max((lastmod for _, _, lastmod in months), default=None))


def news(request):
    """Google News: the articles of the last 48 hours, newest first, at most 1,000 of them."""
    since = timezone.now() - NEWS_WINDOW
    rows = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .order_by("-published_at", "-pk")
        .values_list("slug", "published_at", "updated_at", "title")[:NEWS_LIMIT]
    )
    publication = (
        f"<news:publication><news:name>{escape(settings.SITE_NAME)}</news:name>"
        f"<news:language>{settings.LANGUAGE_CODE[:2]}</news:language></news:publication>"
    )
    entries, lastmods, location = [], [], article_locations()
    for slug, published_at, updated_at, title in rows:
        lastmods.append(max(published_at, updated_at))
        news_entry = (
            f"<news:news>{publication}"
            f"<news:publication_date>{timezone.localtime(published_at).isoformat()}"
            f"</news:publication_date><news:title>{escape(title)}</news:title></news:news>"
        )
        entries.append(url_entry(location(slug, published_at), extra=news_entry))
    # An empty news sitemap is still a valid answer: nothing was published in two days.
    return xml_response("urlset", entries, max(lastmods, default=None), f' xmlns:news="{NEWS_NS}"')
