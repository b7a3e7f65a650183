from django.urls import path, register_converter

from articles import converters, views
from articles.cache import shared_cache

app_name = "articles"

register_converter(converters.FourDigitYear, "yyyy")
register_converter(converters.TwoDigits, "mm")
register_converter(converters.TwoDigits, "dd")

urlpatterns = [
    path("", shared_cache(views.HomeView.as_view()), name="home"),
    path(
        "articles/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/",
        shared_cache(views.ArticleDetailView.as_view()),
        name="detail",
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
    path("tags/<slug:slug>/", shared_cache(views.TagArticleListView.as_view()), name="tag"),
    path(
        "authors/<slug:slug>/", shared_cache(views.AuthorArticleListView.as_view()), name="author"
    ),
]
