from django.conf import settings
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

# The header's accent, and the dark page of the dark scheme (static/css/site.css).
THEME_COLOUR = "#a8101d"
BACKGROUND_COLOUR = "#ffffff"


def manifest(request):
    """The web app manifest: the name from SITE_NAME, the icons, the theme colour."""
    return JsonResponse(
        {
            "name": settings.SITE_NAME,
            "short_name": settings.SITE_NAME,
            "description": _("French-language coverage of wars and crises, and its archive."),
            "lang": settings.LANGUAGE_CODE,
            "start_url": reverse("articles:home"),
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOUR,
            "background_color": BACKGROUND_COLOUR,
            "icons": [
                {"src": static("img/logo.svg"), "sizes": "any", "type": "image/svg+xml"},
                {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {
                    "src": static("img/icon-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "any maskable",
                },
            ],
        },
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def favicon(request):
    """``/favicon.ico``, which browsers and feed readers ask for whatever the page says."""
    return HttpResponsePermanentRedirect(static("img/favicon.ico"))
