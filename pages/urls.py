from django.contrib.flatpages.views import flatpage
from django.urls import path

from articles.cache import shared_cache
from pages import views

app_name = "pages"

# The pages every footer links to, at fixed addresses that the publisher's JSON-LD names too;
# editors write their text in the admin, as flat pages with these URLs.
PAGES = {
    "about": "/a-propos/",
    "legal": "/mentions-legales/",
    "contact": "/contact/",
    "charter": "/charte-editoriale/",
    "corrections": "/politique-de-corrections/",
    "privacy": "/confidentialite/",
}

urlpatterns = [
    path(url.strip("/") + "/", shared_cache(flatpage), {"url": url}, name=name)
    for name, url in PAGES.items()
] + [
    path("manifest.webmanifest", shared_cache(views.manifest), name="manifest"),
    path("favicon.ico", views.favicon, name="favicon"),
]
