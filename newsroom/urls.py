from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from newsroom.views import healthz, media

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("", include("articles.urls")),
    path("", include("stories.urls")),
    path("", include("pages.urls")),
    path("", include("live.urls")),
]

if settings.SERVE_MEDIA:
    # A single-machine deployment serves uploads itself; a larger one lets its web server do it.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", media),
    ]

handler400 = "articles.views.bad_request"
handler500 = "articles.views.server_error"
