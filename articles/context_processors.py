from functools import partial

from django.conf import settings
from django.utils.encoding import escape_uri_path
from django.utils.functional import SimpleLazyObject

from articles.cache import KeptByGeneration
from articles.links import absolute_url
from articles.models import Section

# The menu's sections, read once per content generation in each worker rather than on every
# page built: the query and its model instances cost 1 to 2 ms of a page's CPU.
menu_sections = KeptByGeneration(lambda: list(Section.objects.all()))


def site(request):
    """The site's name and public address, for the layout and absolute links, and the
    sections for its menu: read when a page shows the menu (admin pages do not), once."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "canonical_url": canonical_url(request),
        "sections": SimpleLazyObject(partial(menu_sections.get, request)),
    }


def canonical_url(request):
    """This page's address from SITE_URL: tracking parameters and the like are dropped, a page
    number past the first is kept, since that page lists other articles."""
    page = request.GET.get("page", "")
    # isdecimal() refuses "²", which isdigit() lets through to int(); the length bounds int().
    query = f"?page={int(page)}" if page.isdecimal() and len(page) < 20 and int(page) > 1 else ""
    return absolute_url(escape_uri_path(request.path)) + query
