from django.contrib.sitemaps.views import sitemap
from django.urls import path, register_converter
from django.views.generic import TemplateView

from articles import converters, feeds, sitemaps, views

app_name = "articles"

register_converter(converters.FourDigitYear, "yyyy")
register_converter(converters.TwoDigits, "mm")
register_converter(converters.TwoDigits, "dd")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "articles/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/",
        views.ArticleDetailView.as_view(),
        name="detail",
    ),
    path("archives/<yyyy:year>/", views.ArticleYearArchiveView.as_view(), name="archive-year"),
    path(
        "archives/<yyyy:year>/<mm:month>/",
        views.ArticleMonthArchiveView.as_view(),
        name="archive-month",
    ),
    path(
        "archives/<yyyy:year>/<mm:month>/<dd:day>/",
        views.ArticleDayArchiveView.as_view(),
        name="archive-day",
    ),
    path("tags/<slug:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorArticleListView.as_view(), name="author"),
    path("a/<int:pk>/", views.short_link, name="short"),
    path("rss/", feeds.LatestArticlesFeed(), name="feed-rss"),
    path("atom/", feeds.LatestArticlesAtomFeed(), name="feed-atom"),
    path("tags/<slug:slug>/rss/", feeds.TagFeed(), name="tag-feed-rss"),
    path("tags/<slug:slug>/atom/", feeds.TagAtomFeed(), name="tag-feed-atom"),
    path("authors/<slug:slug>/rss/", feeds.AuthorFeed(), name="author-feed-rss"),
    path("authors/<slug:slug>/atom/", feeds.AuthorAtomFeed(), name="author-feed-atom"),
    path("sitemap.xml", sitemaps.index, name="sitemap-index"),
    path(
        "sitemap-news.xml",  # before the sections, which would match it
        sitemap,
        {"sitemaps": {"news": sitemaps.NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="sitemap-news",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]
