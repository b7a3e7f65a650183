from django.urls import path, register_converter
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from articles import converters, feeds, history_views, sitemaps, views
from articles.cache import shared_cache
from articles.preview import QUERY_PARAMETER
from articles.tags import follow_former_slugs

app_name = "articles"

register_converter(converters.FourDigitYear, "yyyy")
register_converter(converters.TwoDigits, "mm")
register_converter(converters.TwoDigits, "dd")

urlpatterns = [
    path("", shared_cache(views.HomeView.as_view()), name="home"),
    path(
        "articles/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/",
        shared_cache(views.ArticleDetailView.as_view(), parameters=[QUERY_PARAMETER]),
        name="detail",
    ),
    # An article's public history: its versions, one of them, and a comparison of two.
    path(
        "articles/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/historique/",
        shared_cache(history_views.HistoryView.as_view()),
        name="history",
    ),
    path(
        "articles/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/historique/<int:version>/",
        shared_cache(history_views.VersionView.as_view()),
        name="version",
    ),
    # The comparison form's answer reads its query, so it is never cached: it redirects.
    path(
        "articles/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/historique/comparer/",
        require_safe(never_cache(history_views.CompareChoiceView.as_view())),
        name="compare-choice",
    ),
    path(
        "articles/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/historique/comparer/<int:old>/",
        shared_cache(history_views.CompareView.as_view()),
        name="compare-current",
    ),
    path(
        "articles/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/historique/comparer/<int:old>/<int:new>/",
        shared_cache(history_views.CompareView.as_view()),
        name="compare",
    ),
    path(
        "archives/<yyyy:year>/",
        shared_cache(views.ArticleYearArchiveView.as_view()),
        name="archive-year",
    ),
    path(
        "archives/<yyyy:year>/<mm:month>/",
        shared_cache(views.ArticleMonthArchiveView.as_view()),
        name="archive-month",
    ),
    path(
        "archives/<yyyy:year>/<mm:month>/<dd:day>/",
        shared_cache(views.ArticleDayArchiveView.as_view()),
        name="archive-day",
    ),
    path(
        "tags/<slug:slug>/",
        shared_cache(follow_former_slugs("articles:tag")(views.TagArticleListView.as_view())),
        name="tag",
    ),
    path(
        "authors/<slug:slug>/", shared_cache(views.AuthorArticleListView.as_view()), name="author"
    ),
    path("a/<int:pk>/", views.short_link, name="short"),
    path("rss/", shared_cache(feeds.LatestArticlesFeed()), name="feed-rss"),
    path("atom/", shared_cache(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path(
        "tags/<slug:slug>/rss/",
        shared_cache(follow_former_slugs("articles:tag-feed-rss")(feeds.TagFeed())),
        name="tag-feed-rss",
    ),
    path(
        "tags/<slug:slug>/atom/",
        shared_cache(follow_former_slugs("articles:tag-feed-atom")(feeds.TagAtomFeed())),
        name="tag-feed-atom",
    ),
    path("authors/<slug:slug>/rss/", shared_cache(feeds.AuthorFeed()), name="author-feed-rss"),
    path(
        "authors/<slug:slug>/atom/", shared_cache(feeds.AuthorAtomFeed()), name="author-feed-atom"
    ),
    path("sitemap.xml", shared_cache(sitemaps.index), name="sitemap-index"),
    path(
        "sitemap-articles-<yyyy:year>-<mm:month>.xml",
        shared_cache(sitemaps.articles, page_parameter="p"),
        name="sitemap-articles",
    ),
    path("sitemap-tags.xml", shared_cache(sitemaps.tags, page_parameter="p"), name="sitemap-tags"),
    path("sitemap-years.xml", shared_cache(sitemaps.years), name="sitemap-years"),
    path("sitemap-months.xml", shared_cache(sitemaps.months), name="sitemap-months"),
    path("sitemap-news.xml", shared_cache(sitemaps.news), name="sitemap-news"),
    path(
        "robots.txt",
        shared_cache(TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
        name="robots",
    ),
    # Search results are per reader and never shared by caches.
    path("search/", never_cache(views.SearchView.as_view()), name="search"),
]
