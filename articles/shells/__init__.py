"""Article pages rendered once and stored, with holes for what follows other content.

Most requests for an article are the archive's long tail: crawlers and old share links, each
asking for a page nobody asked for since the last edit anywhere emptied the page cache.
Rendering an article's own part (headline, byline, body, tags, corrections, share block,
link-preview tags and structured data) is most of the cost of its page, yet it changes only
when the article or what it names changes. So the page is rendered once with its *fresh
parts* left as marks (``{% fresh "template" %}``: the menu, the story banner, live coverage,
the sidebar) and stored (``ArticleShell``); later requests read it with the article, in the
same query, and render only the fresh parts.

Each release (``version()``: the code's templates, translations and Python code, the settings
pages show, the language) stores pages of its own, so that ``manage.py render_articles`` of
the next release stores its pages while this one still serves its own: a deploy costs readers
nothing. A stored page is valid while the article's last save and its ``shell_stamp`` are
those it was rendered from. Whatever changes something a stored page shows without saving the
article (a tag, author, section or place renamed, a tagging, byline or correction added or
removed) bumps the stamp of the articles concerned (``articles.shells.signals``). Both are read
in the same query as the stored page, so a page rendered from rows that changed meanwhile is
stored as rendered from those rows: never served. ``render_articles --follow`` keeps storing
each page as it becomes obsolete, so that readers and crawlers rarely pay for a page rendered
whole, and ``--prune`` drops the pages of releases no longer served. Without it, a reader's
request stores the page it rendered whole once the page is asked again (``worth_storing()``).

Only readers' pages use them: previews, staff and articles with live coverage (whose
structured data follows every update) are rendered whole, as before.
"""

import hashlib
import logging
from functools import lru_cache

import django
from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, connections, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.dispatch import receiver
from django.template import loader
from django.template.context import make_context
from django.utils import timezone
from django.utils.translation import get_language

from articles import rows
from articles.cache import bump_generation

logger = logging.getLogger(__name__)

# Marks a fresh part in a stored page, before and after its template's name: a character of
# Unicode's private use area, which no text of the site should hold (NUL, which forms refuse,
# PostgreSQL cannot store). A page whose own text holds it anyway is rendered whole (page()).
MARK = "\ue000"
# Context variable: render the page to be stored, its fresh parts as marks (listed there).
STORING = "storing_shell"
# The project's folders of what pages are rendered with: templates, translations, code.
SOURCES = ("articles", "edge", "live", "locale", "newsroom", "pages", "stories", "templates")
SOURCE_SUFFIXES = {".py", ".html", ".mo", ".json", ".txt"}
# What in them no reader's page is rendered with: the editors' desk and the commands operators
# run. A deploy that changes only these keeps every stored page.
NOT_ON_PAGES = {"admin", "admin.py", "management"}
# Settings written into pages (the storages: where images are linked).
SHOWN_SETTINGS = ("SITE_NAME", "SITE_URL", "MEDIA_URL", "STATIC_URL", "STORAGES", "TIME_ZONE")
# The caching proxies' surrogate keys, which a page served from a stored one must name as its
# rendering did: pairs of (read the keys the page being built names so far, add these),
# registered by the edge app (edge.keys), which this one does not import.
SURROGATE_KEYS = []
# The stored page's columns: the STORED_UNIQUE first tell one page from another (its article
# and release), storing it again replaces the others.
STORED_FIELDS = ("article", "version", "updated_at", "stamp", "html", "surrogate_keys", "tag_ids")
STORED_UNIQUE = 2
# Flags of the article page's query (articles.views.ARTICLE_PAGE_FLAGS) that make a page
# rendered whole each time, registered by the apps that set them (live coverage).
RENDERED_WHOLE = set()
# PostgreSQL: a page stored by a statement of its own (a reader's request, autocommit) does
# not wait for the write-ahead log to reach the disk. A crash may lose the last pages stored,
# which are rendered again, and nothing else: set_config(..., true) lasts for the statement's
# own transaction, and RETURNING runs before its commit. Inside a caller's transaction, the
# caller's writes decide.
ASYNCHRONOUS_COMMIT = " RETURNING set_config('synchronous_commit', 'off', true)"
# Ids per statement of bulk stamp bumps and of pruning.
BATCH = rows.BATCH


@lru_cache(maxsize=1)
def code_version():
    """A digest of what pages are rendered with besides the database: the project's
    templates, translations and code (but the editors' desk and the commands), its static
    files' manifest and Django's version."""
    digest = hashlib.blake2b(django.__version__.encode(), digest_size=10)
    base = settings.BASE_DIR
    paths = sorted(
        path
        for name in SOURCES
        for path in (base / name).rglob("*")
        if path.suffix in SOURCE_SUFFIXES
        and not NOT_ON_PAGES.intersection(path.relative_to(base).parts)
    )
    for path in paths:
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    # Where it lies may differ between machines; what it says may not.
    manifest = settings.STATIC_ROOT and base.joinpath(settings.STATIC_ROOT, "staticfiles.json")
    if manifest and manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()


def enabled():
    """Stored pages need templates that do not change under a running process: not in DEBUG,
    where templates are edited and read again without a restart."""
    return settings.ARTICLE_SHELLS and not settings.DEBUG


def usable_for(article):
    """Whether a reader's page of ``article`` may come from a stored page."""
    return article.state == article.State.LIVE and not any(
        getattr(article, flag, False) for flag in RENDERED_WHOLE
    )


def key(article):
    """What a rendering of ``article``'s own part is valid for: this release, the article's
    last save and stamp (the teasers' cache keys)."""
    return f"{version()}:{article.updated_at.timestamp():.6f}:{article.shell_stamp}"


def version():
    """The release whose pages a request reads: what only a deploy changes, and the language."""
    return f"{code_and_settings()}:{get_language()}"


def obsolete(articles):
    """These ``articles`` (a queryset) but those whose page of this release is valid: one
    query, whatever their number, which compares the row each page was rendered from with the
    article's."""
    from articles.shells.models import ArticleShell

    valid = ArticleShell.objects.filter(
        article=OuterRef("pk"),
        version=version(),
        updated_at=OuterRef("updated_at"),
        stamp=OuterRef("shell_stamp"),
    )
    # A subquery per article, through the index of (article, release), not NOT EXISTS: that
    # PostgreSQL plans as a join from its statistics, which know none of a new release's
    # pages until the table is analyzed again; it then compared each article with every page
    # (minutes at 100,000 articles).
    return articles.alias(valid_page=Subquery(valid.values("pk")[:1])).filter(valid_page=None)


def prune():
    """Delete the pages no server of this release reads: those of other releases (stored
    while the last deploy's servers still served, or by the next one's ahead of its own) or
    other settings; how many."""
    from articles.shells.models import ArticleShell

    others = ArticleShell.objects.exclude(version__startswith=f"{code_and_settings()}:")
    ids = others.order_by("pk").values_list("pk", flat=True)
    deleted, last = 0, 0
    # In batches, so that no statement holds SQLite's writer lock long; and written out
    # (rows.delete()), not reading every page whole to send a signal no reader needs.
    while batch := list(ids.filter(pk__gt=last)[:BATCH]):
        rows.delete(ArticleShell, "id", batch, others.db)
        deleted, last = deleted + len(batch), batch[-1]
    return deleted


def keyed(article):
    """Whether ``article`` was read with what ``key()`` needs (a listing may read less)."""
    loaded = article.__dict__
    return "updated_at" in loaded and "shell_stamp" in loaded


@lru_cache(maxsize=1)
def code_and_settings():
    """The part of every key that only a deploy changes: the code's version and a digest of
    the settings pages show. Worked out once: teaser lists ask for dozens of keys a page."""
    shown = "|".join(str(getattr(settings, name, "")) for name in SHOWN_SETTINGS)
    return f"{code_version()}:{hashlib.blake2b(shown.encode(), digest_size=4).hexdigest()}"


@receiver(setting_changed)
def forget_settings(setting, **kwargs):
    """Tests change settings under a running process (override_settings)."""
    if setting in SHOWN_SETTINGS:
        code_and_settings.cache_clear()


def read(slug, since, until, flags):
    """The published article at ``slug``, published in [``since``, ``until``), with its
    section, its stored page of this release if any (``article.shell``) and the page's
    ``flags`` (``ARTICLE_PAGE_FLAGS``); None if there is none. One statement written out, the
    ORM's version of which cost a reader's page more to build than to run."""
    from articles.models import NEVER_LOADED, Article, Section
    from articles.shells.models import ArticleShell

    using = Article.objects.db
    ops = connections[using].ops
    now = ops.adapt_datetimefield_value(timezone.now())
    since, until = ops.adapt_datetimefield_value(since), ops.adapt_datetimefield_value(until)
    params = [version(), slug, Article.Status.PUBLISHED, since, until, now]
    with rows.cursor(using) as cursor:
        cursor.execute(reading_sql(using, tuple(flags.items())), params)
        row = cursor.fetchone()
    if row is None:
        return None
    (article, section, shell), flag_values = rows.split(
        row, using, (Article, NEVER_LOADED), (Section, ()), (ArticleShell, ())
    )
    for name, value in zip(flags, flag_values, strict=True):
        setattr(article, name, bool(value))
    Article._meta.get_field("section").set_cached_value(article, section)
    article.shell = shell
    return article


@lru_cache(maxsize=8)
def reading_sql(using, flags):
    """The statement of ``read()``, for the database ``using`` and these flags."""
    from articles.models import NEVER_LOADED, Article, Section
    from articles.shells.models import ArticleShell

    quote = connections[using].ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    def column(model, name):
        return quote(model._meta.get_field(name).column)

    article_id = f"article.{column(Article, 'id')}"
    exists = "".join(f", {rows.exists(model, field, 'article')}" for _, (model, field) in flags)
    return (
        f"SELECT {rows.columns(Article, 'article', NEVER_LOADED)}, "
        f"{rows.columns(Section, 'section')}, "
        f"{rows.columns(ArticleShell, 'shell')}{exists} FROM {table(Article)} article "
        f"LEFT JOIN {table(Section)} section "
        f"ON section.{column(Section, 'id')} = article.{column(Article, 'section')} "
        f"LEFT JOIN {table(ArticleShell)} shell "
        f"ON shell.{column(ArticleShell, 'article')} = {article_id} "
        f"AND shell.{column(ArticleShell, 'version')} = %s "
        f"WHERE article.{column(Article, 'slug')} = %s "
        f"AND article.{column(Article, 'status')} = %s "
        f"AND article.{column(Article, 'published_at')} >= %s "
        f"AND article.{column(Article, 'published_at')} < %s "
        f"AND article.{column(Article, 'published_at')} <= %s"
    )


def stored(article):
    """The stored page of ``article`` if it is still valid, else None (it was read with the
    article: ``read()``)."""
    shell = getattr(article, "shell", None)
    valid = (
        shell is not None
        and shell.updated_at == article.updated_at
        and shell.stamp == article.shell_stamp
    )
    return shell if valid else None


def page(article, shell, template_name, context, request):
    """The page of ``article`` for this request: from ``shell``, its stored page still valid
    (``stored()``), or else rendered, and stored for the next requests if worth it."""
    if shell is None and not worth_storing(request):
        return loader.render_to_string(template_name, context, request)
    if shell is None:
        marked = []
        html = loader.render_to_string(template_name, {**context, STORING: marked}, request)
        if html.split(MARK)[1::2] != marked:  # the mark in the article's own text
            return loader.render_to_string(template_name, context, request)
        # All the page names so far: the sidebar's articles too, harmless (named again anyway).
        store(article, html, surrogate_keys())
    else:
        html = shell.html
        for _, add in SURROGATE_KEYS:
            add(shell.surrogate_keys.split())
    return fill(html, template_name, context, request)


def worth_storing(request):
    """Whether a page rendered whole for ``request`` is stored for the next requests: not on
    the first request the worker had for it lately (ReaderPageCacheMiddleware), which is each
    request of a crawler walking the archive. Its INSERT was a sixth of such a request on
    PostgreSQL, spent on a page that the next edit of the article may make obsolete before
    anyone asks for it again, and that ``render_articles --follow`` stores anyway. A page asked
    again is stored at its second request; one the middleware did not count (the page cache
    turned off, ``render_articles``), at its first."""
    return getattr(request, "asked_before", True)


def surrogate_keys():
    """The surrogate keys the page being built names so far."""
    return {name for read, _ in SURROGATE_KEYS for name in read()}


def store(article, html, names=()):
    """Keep ``html`` as the page of ``article`` for this release, as rendered from its row
    as read, with the surrogate keys its rendering named."""
    from articles.shells.models import ArticleShell

    shell = ArticleShell(
        article=article,
        version=version(),
        updated_at=article.updated_at,
        stamp=article.shell_stamp,
        html=html,
        surrogate_keys=" ".join(sorted(names)),
        tag_ids=[tag.pk for tag in article.tag_list],
    )
    try:
        # In a transaction (a test's, a command's), in a savepoint that a failure rolls back
        # alone; readers' requests run in autocommit, where the statement stands alone.
        if transaction.get_connection().in_atomic_block:
            with transaction.atomic():
                upsert(shell)
        else:
            upsert(shell)
    except DatabaseError:
        # A page not stored is only work for the next request: the reader still gets theirs.
        logger.warning("The page of article %s could not be stored", article.pk, exc_info=True)


def upsert(shell):
    """INSERT, or UPDATE the row already there, in one statement (SQLite and PostgreSQL).

    Written out: bulk_create(update_conflicts=True) wraps it in a transaction, three round
    trips; and save() would send post_save, which renews the page cache's generation.
    """
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    fields = [shell._meta.get_field(name) for name in STORED_FIELDS]
    columns = [quote(field.column) for field in fields]
    unique, replaced = columns[:STORED_UNIQUE], columns[STORED_UNIQUE:]
    updates = ", ".join(f"{column} = excluded.{column}" for column in replaced)
    sql = (
        f"INSERT INTO {quote(shell._meta.db_table)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(unique)}) DO UPDATE SET {updates}"
    )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        sql += ASYNCHRONOUS_COMMIT
    values = [field.get_db_prep_save(getattr(shell, field.attname), connection) for field in fields]
    # Prepared on PostgreSQL (rows.cursor), the page travels as a parameter: Django's cursor
    # would quote it into the statement's text for the server to parse, 0.2 ms more a page.
    with rows.cursor(connection.alias) as cursor:
        cursor.execute(sql, values)


def fill(html, template_name, context, request):
    """The stored page ``html`` with its fresh parts rendered for this request."""
    parts = html.split(MARK)
    if len(parts) == 1:
        return html
    template = loader.get_template(template_name).template
    bound = make_context(context, request, autoescape=template.engine.autoescape)
    with bound.bind_template(template):
        for index in range(1, len(parts), 2):
            parts[index] = render_part(parts[index], bound)
    return "".join(parts)


def render_fresh(template_name, context):
    """``{% fresh %}``: a mark while the page is being stored, else the part itself."""
    marked = context.get(STORING)
    if marked is not None:
        marked.append(template_name)
        return f"{MARK}{template_name}{MARK}"
    return render_part(template_name, context)


def render_part(template_name, context):
    """A fresh part, as ``{% include %}`` renders a template: in the page's context."""
    with context.push():
        return context.template.engine.get_template(template_name).render(context)


def bump(articles):
    """Make the stored pages of ``articles`` (an Article queryset, or ids) obsolete. In the
    caller's transaction: a page rendered from rows read before it is never served.

    The page cache's generation is renewed after the bump, and again once it is committed.
    The save that led here renewed it before (its receiver came first): outside a transaction,
    ``render_articles --follow`` could look for obsolete pages in between, find none, and not
    look again for a minute.
    """
    from articles.models import Article

    bumped = {"shell_stamp": F("shell_stamp") + 1}
    if isinstance(articles, QuerySet):
        articles.update(**bumped)
    else:
        ids = sorted(set(articles))
        for start in range(0, len(ids), BATCH):
            Article.objects.filter(pk__in=ids[start : start + BATCH]).update(**bumped)
    bump_generation()
