from django.urls import path, register_converter

from articles.cache import shared_cache
from live import converters, views

register_converter(converters.RowId, "row")

app_name = "live"

urlpatterns = [
    path("live/<row:pk>/updates.json", views.poll, name="poll"),
    # Continuations by key, in the path: the page cache keys on the path.
    path(
        "live/<row:pk>/from/<row:update>/",
        shared_cache(views.EarlierUpdatesView.as_view()),
        name="earlier",
    ),
    path("live/updates/<row:pk>/", views.update_link, name="update"),
]
