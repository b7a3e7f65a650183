from functools import partial

from django.conf import settings
from django.db import connection
from django.utils.encoding import escape_uri_path
from django.utils.functional import SimpleLazyObject

from articles import rows
from articles.cache import KeptByGeneration
from articles.links import absolute_url
from articles.models import Section


def read_sections():
    """Every section, in the menu's order. Written out and prepared on PostgreSQL
    (``rows.cursor()``): every page built after a save reads them, and the ORM took 0.35 ms
    to build and read them against 0.14 (SQLite)."""
    table = connection.ops.quote_name(Section._meta.db_table)
    sql = f"SELECT {rows.columns(Section, table)} FROM {table} ORDER BY position, name"
    return rows.objects(Section, sql, [], Section.objects.db)


# The menu's sections, read once per content generation in each worker rather than on every
# page built: the query and its model instances cost 1 to 2 ms of a page's CPU.
menu_sections = KeptByGeneration(read_sections)


def site(request):
    """The site's name and public address, for the layout and absolute links, and the
    sections for its menu: read when a page shows the menu (admin pages do not), once."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "canonical_url": canonical_url(request),
        "sections": SimpleLazyObject(partial(menu_sections.get, request)),
        # Called only by the page that asks for it (a template calls a callable).
        "current_sections": menu_sections.current,
    }


def canonical_url(request):
    """This page's address from SITE_URL: tracking parameters and the like are dropped, a page
    number past the first is kept, since that page lists other articles."""
    page = request.GET.get("page", "")
    # isdecimal() refuses "²", which isdigit() lets through to int(); the length bounds int().
    query = f"?page={int(page)}" if page.isdecimal() and len(page) < 20 and int(page) > 1 else ""
    return absolute_url(escape_uri_path(request.path)) + query
