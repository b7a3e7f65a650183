from django.urls import path, register_converter

from articles import converters, views

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
    path("search/", views.SearchView.as_view(), name="search"),
]
