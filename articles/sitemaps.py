"""Sitemaps: an index of articles (in sections of at most 50,000), tags and date archives, and a
Google News sitemap of the last 48 hours.

Django's sitemap views take the domain from the request's Host header; here every address
comes from SITE_URL instead, and the index is a small view of our own for the same reason.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max
from django.db.models.functions import Greatest, TruncMonth, TruncYear
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from articles.links import absolute_url
from articles.models import Article

LAST_MODIFIED = Greatest("updated_at", "published_at")


class SiteSitemap(Sitemap):
    """Addresses from SITE_URL, whatever the request says."""

    def get_protocol(self, protocol=None):
        return settings.SITE_URL.split("://", 1)[0]

    def get_domain(self, site=None):
        # Everything after the scheme, so a SITE_URL with a path prefix keeps it.
        return settings.SITE_URL.split("://", 1)[1]


class ArticleSitemap(SiteSitemap):
    limit = 50_000

    def items(self):
        return Article.objects.published().order_by("published_at", "pk")

    def lastmod(self, item):
        return item.last_modified

    def get_latest_lastmod(self):
        return self.items().aggregate(latest=Max(LAST_MODIFIED))["latest"]


class NewsSitemap(ArticleSitemap):
    """Google News wants only the last two days' articles, at most 1,000 of them."""

    limit = 1_000
    window = timedelta(hours=48)

    def items(self):
        since = timezone.now() - self.window
        return Article.objects.published().filter(published_at__gte=since)[: self.limit]


class TagSitemap(SiteSitemap):
    def items(self):
        return (
            Article.objects.published()
            .used_tags()
            .annotate(lastmod=Max(Greatest("article__updated_at", "article__published_at")))
            .order_by("name")
        )

    def location(self, item):
        return reverse("articles:tag", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.lastmod


class ArchiveSitemap(SiteSitemap):
    """Year or month archive pages (``period``), each with its newest change."""

    period = "year"
    truncate = TruncYear

    def items(self):
        return (
            Article.objects.published()
            .annotate(start=self.truncate("published_at"))
            .values("start")
            .annotate(lastmod=Max(LAST_MODIFIED))
            .order_by("start")
        )

    def location(self, item):
        start = timezone.localtime(item["start"])
        kwargs = {"year": start.year}
        if self.period == "month":
            kwargs["month"] = start.month
        return reverse(f"articles:archive-{self.period}", kwargs=kwargs)

    def lastmod(self, item):
        return item["lastmod"]


class MonthArchiveSitemap(ArchiveSitemap):
    period = "month"
    truncate = TruncMonth


SITEMAPS = {
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "years": ArchiveSitemap,
    "months": MonthArchiveSitemap,
}


@x_robots_tag
def index(request):
    """The sitemap index: one entry per section page, with its newest change."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = absolute_url(reverse("articles:sitemap", kwargs={"section": section}))
        pages = sitemap.paginator
        if not pages.count:
            continue  # A section with nothing in it yet (no story published) is not listed.
        lastmod = sitemap.get_latest_lastmod()
        for page in pages.page_range:
            entries.append(SitemapIndexItem(location + (f"?p={page}" if page > 1 else ""), lastmod))
    latest = max((entry.last_mod for entry in entries if entry.last_mod), default=None)
    headers = {"Last-Modified": http_date(latest.timestamp())} if latest else None
    return TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": entries},
        content_type="application/xml",
        headers=headers,
    )
