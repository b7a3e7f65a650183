import logging
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connection, models, transaction
from django.db.models import Max, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record
from taggit.managers import TaggableManager
from taggit.models import Tag

from articles import dayindex, listings, rows, search, share_card
from articles.dates import house_date
from articles.html import sanitize
from articles.images import (
    blurred_rendition,
    clean_and_render,
    share_rendition,
    srcset,
    validate_hero_image,
)
from articles.links import pk_url, slug_url
from newsroom.storage import STORAGE_ERRORS

logger = logging.getLogger(__name__)

# The context variable listing the articles an article page shows (see ArticleDetailView).
SHOWN_ARTICLES = "shown_articles"


class ShareImage(NamedTuple):
    url: str
    width: int
    height: int
    alt: str


class Sourcing(models.TextChoices):
    """How the newsroom knows what an article or a live update says, shown beside its headline.

    Shared by every piece of work readers see (live updates too), so the labels stay one set.
    """

    VERIFIED = "verified", _("Verified information")
    UNCONFIRMED = "unconfirmed", _("Not independently confirmed")
    ACCORDING_TO = "according-to", _("According to a named source")
    AGENCY = "agency", _("Agency dispatch")

    @classmethod
    def describe(cls, value, source=""):
        """The reader's label: "Selon Reuters" for ACCORDING_TO with its source named."""
        if not value:
            return ""
        if value == cls.ACCORDING_TO and source.strip():
            return _("According to %(source)s") % {"source": source.strip()}
        return cls(value).label


class Kind(models.TextChoices):
    """The kind of work, as the Trust Project names it; its schema.org type goes in the JSON-LD."""

    REPORTAGE = "reportage", _("Reportage")
    ANALYSIS = "analysis", _("Analysis")
    OPINION = "opinion", _("Opinion")
    BACKGROUND = "background", _("Background")
    DISPATCH = "dispatch", _("Dispatch")

    @property
    def schema_type(self):
        return KIND_SCHEMA_TYPES[self]


# A dispatch has no type of its own in schema.org: it stays a plain NewsArticle.
KIND_SCHEMA_TYPES = {
    Kind.REPORTAGE: "ReportageNewsArticle",
    Kind.ANALYSIS: "AnalysisNewsArticle",
    Kind.OPINION: "OpinionNewsArticle",
    Kind.BACKGROUND: "BackgroundNewsArticle",
    Kind.DISPATCH: "NewsArticle",
}


class SourcedWork(models.Model):
    """The sourcing label's two fields, for any model readers see with a headline."""

    sourcing = models.CharField(
        _("sourcing"),
        max_length=20,
        choices=Sourcing.choices,
        blank=True,
        help_text=_("How we know what this says; shown next to the headline."),
    )
    sourcing_source = models.CharField(
        _("named source"),
        max_length=120,
        blank=True,
        help_text=_("For “According to …”: the source's name, e.g. Reuters, the Kyiv police."),
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.sourcing == Sourcing.ACCORDING_TO and not self.sourcing_source.strip():
            raise ValidationError({"sourcing_source": _("Name the source.")})

    @property
    def sourcing_label(self):
        return Sourcing.describe(self.sourcing, self.sourcing_source)


class PublicVersion(models.Model):
    """What editors decide about one revision's place in the article's public history.

    A base of the historical records (django-simple-history's ``bases``): each revision can be
    marked significant, so readers see it listed, or withheld (a legal removal), so they never
    read it again, with the reason kept for the newsroom.
    """

    significant = models.BooleanField(
        _("significant change"),
        default=False,
        help_text=_("Listed in the article's public history of changes."),
    )
    withheld_at = models.DateTimeField(_("withheld on"), null=True, blank=True)
    withheld_reason = models.TextField(_("reason for withholding"), blank=True)

    class Meta:
        abstract = True


class Author(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    bio = models.TextField(_("short biography"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("articles:author", self.slug)


class Section(models.Model):
    """A rubrique of the paper (International, Défense…): each article belongs to one."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    description = models.CharField(
        _("description"),
        max_length=250,
        blank=True,
        help_text=_("One sentence shown under the section's title and to search engines."),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the menu and on the home page.")
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("articles:section", self.slug)


# The search vector is for PostgreSQL's eyes only: pages never load it.
NEVER_LOADED = ("search_vector",)
# What an article's page shows and a list of its teasers does not.
NOT_IN_TEASERS = (
    "body",
    "backstory",
    "review_note",
    "sourcing_source",
    "hero_caption",
    "hero_credit",
    "hero_warning",
    "hero_blurred",
    "share_card",
    "submitted_at",
    "created_by",
)


def articles_with_changed_bylines(instance, action, reverse, pk_set):
    """For an ``m2m_changed`` of ``Article.authors``: the ids of the articles whose bylines
    it changed, once they have; None at the other steps. From an author's side, a clear
    names its articles only before it happens: they are remembered on the author then."""
    if not reverse:
        return [instance.pk] if action in ("post_add", "post_remove", "post_clear") else None
    if action == "pre_clear":
        instance.byline_articles = list(instance.articles.values_list("pk", flat=True))
    elif action == "post_clear":
        return instance.byline_articles
    elif action in ("post_add", "post_remove"):
        return pk_set
    return None


def prefetch_bylines(articles):
    """Give each of ``articles`` its authors as a plain list, which ``Article.byline`` returns,
    in the authors' order (by name); returns ``articles``.

    One SQL statement written out (``rows.prefetch()``): prefetched with
    ``Prefetch("authors")``, each article got a queryset of its own, and building the query
    and those cost 0.34 ms for an article page and 0.78 ms for a feed's 30 articles, where
    the statement ran in 0.07.
    """
    owner, tables, order = bylines_sql()
    sql = f"SELECT {rows.columns(Author, 'author')}, {owner} {tables} ORDER BY {', '.join(order)}"
    return rows.prefetch(articles, [("prefetched_authors", Author)], sql)


def prefetch_tags(articles):
    """Give each of ``articles`` its tags as a plain list, which ``Article.tag_list`` returns,
    in the order they were tagged; returns ``articles``.

    One SQL statement written out (``rows.prefetch()``): prefetched through taggit's
    manager, building the query and a queryset for each article cost an article page 1.8 ms;
    read through raw(), 0.5 ms on PostgreSQL, where the prepared statement takes 0.2.
    """
    owner, tables, order, params = tags_sql()
    sql = f"SELECT {rows.columns(Tag, 'tag')}, {owner} {tables} ORDER BY {order}"
    return rows.prefetch(articles, [("prefetched_tags", Tag)], sql, params)


def prefetch_bylines_and_tags(articles):
    """``prefetch_bylines()`` and ``prefetch_tags()`` in one statement, each row an author or
    a tag beside the other's NULLs: a round trip less for an article page built whole, which
    its sidebar's candidates took one more for (articles.listings.TagCandidates)."""
    authors, tags = rows.columns(Author, "author"), rows.columns(Tag, "tag")
    author_nulls, tag_nulls = (
        ", ".join(["NULL"] * len(rows.loaded(model))) for model in (Author, Tag)
    )
    author_owner, author_tables, (author_name, author_pk) = bylines_sql()
    tag_owner, tag_tables, tag_order, params = tags_sql()
    # The tags' branch first: its parameters come before the ids (rows.prefetch()).
    sql = (
        f"SELECT {author_nulls}, {tags}, {tag_owner}, 1 AS kind, '' AS sort_name, "
        f"{tag_order} AS sort_id {tag_tables} "
        f"UNION ALL SELECT {authors}, {tag_nulls}, {author_owner}, 0, {author_name}, "
        f"{author_pk} {author_tables} ORDER BY kind, sort_name, sort_id"
    )
    parts = [("prefetched_authors", Author), ("prefetched_tags", Tag)]
    return rows.prefetch(articles, parts, sql, params)


def bylines_sql():
    """The parts of ``prefetch_bylines()``'s statement: the article's id, the tables and
    conditions (the articles' ids where it says ``{ids}``), the columns it is ordered by."""
    quote = connection.ops.quote_name
    through = Article.authors.through
    article = f"byline.{quote(through._meta.get_field('article').column)}"
    author = f"byline.{quote(through._meta.get_field('author').column)}"
    pk = f"author.{quote(Author._meta.pk.column)}"
    tables = (
        f"FROM {quote(Author._meta.db_table)} author "
        f"INNER JOIN {quote(through._meta.db_table)} byline ON {author} = {pk} "
        f"WHERE {article} IN ({{ids}})"
    )
    return article, tables, (f"author.{quote('name')}", pk)


def tags_sql():
    """The parts of ``prefetch_tags()``'s statement: the article's id, the tables and
    conditions (the articles' ids where it says ``{ids}``), the order, the parameters."""
    quote = connection.ops.quote_name
    through = Article.tags.through
    items, types = quote(through._meta.db_table), quote(ContentType._meta.db_table)

    def item(name):
        return f"item.{quote(through._meta.get_field(name).column)}"

    tables = (
        f"FROM {quote(Tag._meta.db_table)} tag "
        f"INNER JOIN {items} item ON {item('tag')} = tag.{quote(Tag._meta.pk.column)} "
        f"INNER JOIN {types} content_type "
        f"ON {item('content_type')} = content_type.{quote('id')} "
        f"WHERE content_type.{quote('app_label')} = %s AND content_type.{quote('model')} = %s "
        f"AND {item('object_id')} IN ({{ids}})"
    )
    params = [Article._meta.app_label, Article._meta.model_name]
    return item("object_id"), tables, item("id"), params


class ArticleQuerySet(models.QuerySet):
    def published(self, before=None):
        """Articles readers may see: published, and whose time has come.

        A future publication time is simply not visible yet, so scheduling needs no cron job.
        ``before`` (exclusive) narrows them to an archive's period with one upper bound: given
        two on the same column, SQLite walks its index from the wrong one.
        """
        now = timezone.now()
        if before is not None and before <= now:
            return self.filter(status=Article.Status.PUBLISHED, published_at__lt=before)
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now)

    def scheduled(self):
        """Articles published for a time still to come: readers see them at that time."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def in_state(self, state):
        """These articles in one derived ``Article.State``."""
        if state == Article.State.LIVE:
            return self.published()
        if state == Article.State.SCHEDULED:
            return self.scheduled()
        if state in (Article.State.DRAFT, Article.State.REVIEW):
            return self.filter(status=state)
        raise ValueError(f"unknown state {state!r}")

    def in_review(self):
        """Drafts their writers sent to the editors, the longest waiting first."""
        return self.filter(status=Article.Status.REVIEW).order_by("submitted_at", "pk")

    def used_tags(self):
        """The tags these articles carry: of published articles, no tag known only to drafts."""
        return Tag.objects.filter(article__in=self).distinct()

    def search(self, query, newest=None):
        """These articles matching a parsed search ``Query``, most relevant first, then newest.

        ``newest``: an engine may rank only that many of the newest matches, where ranking
        every match costs more than a page can wait for (PostgreSQL).
        """
        return search.engine().search(self, query, newest)

    def teasers(self):
        """Without the long texts no teaser shows: reading an article's body, often spread over
        several database pages, cost more than the rest of its row."""
        return self.defer(*NOT_IN_TEASERS)

    def for_listing(self):
        """What a list of article teasers shows, but for their bylines: the view reads those
        of the page's articles alone once they are known (``prefetch_bylines()``)."""
        return self.teasers().select_related("section")

    def by_slug(self, slug):
        """The article with this slug now, or else the one that had it before an edit."""
        return self.filter(slug=slug).first() or self.filter(former_slugs__slug=slug).first()


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        return super().get_queryset().defer(*NEVER_LOADED)

    def front_page(self, sections, featured, per_section, newest=0):
        """What leads the home page, in one query: up to ``featured`` published articles
        editors put on the front page, the ``per_section`` newest others of each of
        ``sections``, and the ``newest`` published articles of all (the first page of the
        latest, which the home page lists below).

        Each part is a bounded read of an index (the front page's few rows, each section's
        newest through its (section, status, published_at) index), so the cost follows the
        number of sections, not the archive's size. Rows carry ``front``, their position on
        the front page (None for a section's article); the caller orders them. Only what a
        teaser shows is read.
        """
        # Written out as SQL: the ORM's union of a subquery per section took 6 ms to build in
        # Python, and the query around it 1 ms more, where the database answers in a
        # fraction of one. The sections' parts apply published()'s rule to pick each
        # section's newest; the outer query applies it to the chosen articles too.
        quote = connection.ops.quote_name
        table = quote(Article._meta.db_table)
        features = quote(Feature._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        # From the front page's few rows, not by probing every published article for one.
        chosen = f"SELECT article_id FROM {features} ORDER BY position, id LIMIT %s"
        parts = [f"SELECT * FROM ({chosen}) chosen"]
        params = [featured * 4]
        for n, section in enumerate(sections):
            parts.append(
                f"SELECT * FROM (SELECT id FROM {table} WHERE section_id = %s AND status = %s "
                f"AND published_at <= %s AND id NOT IN (SELECT article_id FROM {features}) "
                f"ORDER BY published_at DESC, id DESC LIMIT %s) section_{n}"
            )
            params += [section.pk, Article.Status.PUBLISHED, now, per_section]
        if newest:
            parts.append(
                f"SELECT * FROM (SELECT id FROM {table} WHERE status = %s AND published_at <= %s "
                "ORDER BY published_at DESC, id DESC LIMIT %s) newest"
            )
            params += [Article.Status.PUBLISHED, now, newest]
        teaser_deferred = (*NEVER_LOADED, *NOT_IN_TEASERS)
        columns = rows.columns(Article, table, teaser_deferred)
        sql = (
            f"SELECT {columns}, {features}.position AS front FROM {table} "
            f"LEFT JOIN {features} ON {features}.article_id = {table}.id "
            f"WHERE {table}.id IN ({' UNION ALL '.join(parts)}) "
            f"AND {table}.status = %s AND {table}.published_at <= %s"
        )
        params += [Article.Status.PUBLISHED, now]
        return rows.objects(Article, sql, params, self.db, teaser_deferred, extra=["front"])

    def page_teasers(self, ids):
        """The published articles among ``ids`` (a queryset of their ids: one page of a
        listing), newest first, as teasers with their section, as ``for_listing()`` reads them.

        Written out around the ORM's SQL for the ids: the ORM took 1 ms of Python to build
        the query around that subquery, more than the query and its twelve rows then cost
        (SQLite). Prepared on PostgreSQL once run a few times (``rows.cursor()``), as a list's
        first page is, which halved its 0.8 ms: each page's ids have their LIMIT and OFFSET
        written in, and a deep page's text, seldom run again, is not worth preparing. Built
        and read when first used, as a queryset is: the home page's first page never uses its
        own, its front's query having read them.
        """
        teaser_deferred = (*NEVER_LOADED, *NOT_IN_TEASERS)
        parts = (Article, teaser_deferred), (Section, ())

        def read():
            quote = connection.ops.quote_name
            table, sections = quote(Article._meta.db_table), quote(Section._meta.db_table)
            try:
                ids_sql, params = ids.query.sql_with_params()
            except EmptyResultSet:  # a page of none (an empty listing's first)
                return []
            sql = (
                f"SELECT {rows.columns(Article, table, teaser_deferred)}, "
                f"{rows.columns(Section, sections)} FROM {table} "
                f"LEFT JOIN {sections} ON {sections}.id = {table}.section_id "
                f"WHERE {table}.id IN ({ids_sql}) "
                f"AND {table}.status = %s AND {table}.published_at <= %s "
                f"ORDER BY {table}.published_at DESC, {table}.id DESC"
            )
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            with rows.cursor(self.db, prepare=None) as cursor:
                cursor.execute(sql, [*params, Article.Status.PUBLISHED, now])
                found = cursor.fetchall()
            teasers = []
            for row in found:
                (article, section), _ = rows.split(row, self.db, *parts)
                article.section = section
                teasers.append(article)
            return teasers

        return SimpleLazyObject(read)

    def newest_teasers(self, size, section=None, listed=None):
        """The ``size`` newest published articles, newest first, as teasers: of all, of a
        ``section``, or of those ``listed`` in an index, a listing model with the column and
        value that pick its rows, e.g. ``(TagListing, "tag_id", tag.pk)``.

        What feeds show. Written out as SQL: the ORM took 2.2 ms to build and read a feed's
        thirty articles, 1.1 with this (SQLite; PostgreSQL 2.9 and 1.7). Each is a bounded
        read of an index: (status, published_at), the section's, or the listing's recent one.
        """
        quote = connection.ops.quote_name
        table = quote(Article._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        conditions, params = [], []
        if section is not None:
            conditions.append(f"{table}.section_id = %s")
            params.append(section.pk)
        if listed is not None:
            listing, column, value = listed
            recent = listings.recent(listing, column)
            conditions.append(f"{table}.id IN (SELECT article_id FROM ({recent}) listed)")
            params += [value, now, size]
        conditions += [f"{table}.status = %s", f"{table}.published_at <= %s"]
        params += [Article.Status.PUBLISHED, now, size]
        teaser_deferred = (*NEVER_LOADED, *NOT_IN_TEASERS)
        sql = (
            f"SELECT {rows.columns(Article, table, teaser_deferred)} FROM {table} "
            f"WHERE {' AND '.join(conditions)} "
            f"ORDER BY {table}.published_at DESC, {table}.id DESC LIMIT %s"
        )
        return rows.objects(Article, sql, params, self.db, teaser_deferred)


class Article(SourcedWork):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("To review")
        PUBLISHED = "published", _("Published")

    class State(models.TextChoices):
        """What the status and the time make of an article; derived, never stored."""

        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("To review")
        SCHEDULED = "scheduled", _("Scheduled")
        LIVE = "live", _("Live")

    title = models.CharField(_("headline"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("Made from the headline when left empty."),
    )
    dateline = models.CharField(_("dateline"), max_length=100, blank=True)
    standfirst = models.TextField(_("standfirst"))
    body = models.TextField(
        _("body"),
        help_text=_("HTML: paragraphs, h2/h3 headings, lists, bold, italic, links, quotes."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    kind = models.CharField(
        _("kind of work"),
        max_length=20,
        choices=Kind.choices,
        blank=True,
        help_text=_("Shown above the headline, so readers know what they are reading."),
    )
    published_at = models.DateTimeField(_("publication time"), default=timezone.now)
    revised_at = models.DateTimeField(
        _("significant update"),
        null=True,
        blank=True,
        help_text=_("Set when the article changed in substance; readers see “Updated on …”."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    # Bumped when something the article's stored page shows changes without a save of the
    # article: a tag or author renamed, a tagging or correction removed (articles.shells).
    shell_stamp = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    # Null only for articles older than sections; the article form asks every editor for one.
    section = models.ForeignKey(
        Section,
        models.PROTECT,
        null=True,
        blank=True,
        # The index on (section, status, published_at, id) below serves lookups by section.
        db_index=False,
        related_name="articles",
        verbose_name=_("section"),
    )
    authors = models.ManyToManyField(Author, related_name="articles", verbose_name=_("authors"))
    tags = TaggableManager(_("tags"), blank=True)
    hero_image = models.ImageField(
        _("hero image"),
        upload_to="heroes/%Y/%m/",
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
        validators=[validate_hero_image],
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(_("image description (alt text)"), max_length=250, blank=True)
    hero_caption = models.CharField(_("caption"), max_length=300, blank=True)
    hero_sensitive = models.BooleanField(
        _("sensitive image"),
        default=False,
        help_text=_(
            "Graphic content: readers see it blurred, with the warning, until they choose to "
            "see it; link previews and feeds never show it."
        ),
    )
    hero_warning = models.CharField(
        _("warning"),
        max_length=200,
        blank=True,
        help_text=_("What the image shows, in a few words, e.g. “Bodies of civilians”."),
    )
    # A sensitive image blurred at save time: {"width", "height", "jpeg", "webp"}.
    hero_blurred = models.JSONField(default=dict, blank=True, editable=False)
    hero_credit = models.CharField(_("credit"), max_length=150, blank=True)
    # Made at upload time (see articles.images), so pages build srcset without a query.
    hero_renditions = models.JSONField(default=list, blank=True, editable=False)
    backstory = models.TextField(
        _("how we worked"),
        blank=True,
        help_text=_("How the information was gathered and checked; shown under the article."),
    )
    pinned_related = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="pinned_by",
        verbose_name=_("pinned related articles"),
        help_text=_("Shown first in the sidebar, before the articles sharing tags."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    submitted_at = models.DateTimeField(_("sent for review"), null=True, blank=True, editable=False)
    review_note = models.TextField(
        _("review note"),
        blank=True,
        editable=False,
        help_text=_("What an editor asked for when sending the draft back to its writer."),
    )
    # Optimistic locking: every save counts, and an admin form saved from an older count is refused.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    # Drawn at save time for link previews when there is no hero image; see draw_share_card().
    share_card = models.ImageField(upload_to="share-cards/", blank=True, editable=False)

    # Filled on PostgreSQL only, by the search engine (articles.search) after each save.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleManager()
    # Set by mark_significant() for the next save only; not a field.
    significant_change = False
    # The lock counter and the search vector are not history: a restored revision keeps the
    # current count, and the index follows the text.
    history = HistoricalRecords(
        excluded_fields=["version", "search_vector", "shell_stamp"],
        bases=[PublicVersion],
        # simple-history's own names ("historical article") are not translated.
        verbose_name=_("article version"),
        verbose_name_plural=_("article versions"),
    )

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            # With the id, listing pages read their ids from the index alone, at any depth;
            # with updated_at, sitemaps read a month's lastmod from it too, and with the
            # stamp, render_articles what each page must have been rendered from.
            models.Index(fields=["status", "published_at", "id", "updated_at", "shell_stamp"]),
            # A section's page and its block on the home page read their newest from here.
            models.Index(
                fields=["section", "status", "published_at", "id"], name="article_section_recent"
            ),
            # A search joins each match to its row by id only to ask whether it is published:
            # this answers without reading the wide row, whose status and time lie after the
            # body (on SQLite, in overflow pages). 48 ms → 20 ms of CPU for 23,880 matches.
            models.Index(fields=["id", "status", "published_at"], name="article_publication_by_id"),
        ]
        permissions = [("publish_article", _("Can publish, unpublish and schedule articles"))]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug()
        # Sanitise at write time so reader pages only ever read safe HTML.
        self.body = sanitize(self.body)
        if self.hero_image and not self.hero_image._committed:
            # A new upload: store it upright and stripped of metadata, with its renditions.
            content, self.hero_width, self.hero_height, self.hero_renditions = clean_and_render(
                self.hero_image.file
            )
            self.hero_image.file, self.hero_image.name = content, content.name
        elif not self.hero_image:
            self.hero_renditions = []
        self.blur_sensitive_image()
        self.version += 1
        self.draw_share_card()
        former_slug = self.pk and (
            Article.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        )
        # With the signals that keep the listing, day and section indexes (post_save runs
        # inside), so that no reader sees the row without its position anchors moved.
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
        self.significant_change = False
        if former_slug and former_slug != self.slug:
            # Links shared before the change keep working (a date change needs nothing: the
            # detail view already redirects a known slug under another date).
            FormerSlug.objects.update_or_create(slug=former_slug, defaults={"article": self})

    def get_absolute_url(self):
        return slug_url("articles:detail", **self.url_kwargs())

    def url_kwargs(self):
        """The article's part of its pages' URLs: its Paris date, as readers see it, and slug."""
        local = timezone.localtime(self.published_at)
        return {"year": local.year, "month": local.month, "day": local.day, "slug": self.slug}

    def get_history_url(self):
        return reverse("articles:history", kwargs=self.url_kwargs())

    def get_short_url(self):
        return pk_url("articles:short", self.pk)

    def clean(self):
        super().clean()
        if self.hero_sensitive and not self.hero_warning.strip():
            raise ValidationError({"hero_warning": _("Say in a few words what the image shows.")})
        if self.hero_image and not self.hero_alt.strip():
            raise ValidationError(
                {"hero_alt": _("Describe the image for readers who cannot see it.")}
            )

    def unique_slug(self):
        # French elisions become word breaks: "L'Ukraine" gives "l-ukraine", not "lukraine".
        base = slugify(self.title.replace("'", " ").replace("’", " "))[:190] or "article"
        slug, suffix = base, 2
        while Article.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, suffix = f"{base}-{suffix}", suffix + 1
        return slug

    @property
    def schema_type(self):
        """The schema.org type of the JSON-LD: the kind's, or NewsArticle."""
        return Kind(self.kind).schema_type if self.kind else "NewsArticle"

    @property
    def date_modified(self):
        """When the article last changed in substance (an update, a correction), for readers
        and search engines; typo-level saves do not count."""
        return self.revised_at if self.is_revised else self.published_at

    def mark_significant(self):
        """This save changes the article in substance: readers see "Updated on …", and the
        revision it leaves is listed in the public history (see record_significance)."""
        self.revised_at = timezone.now()
        self.significant_change = True

    @property
    def is_revised(self):
        return self.revised_at is not None and self.revised_at > self.published_at

    @property
    def state(self):
        """Draft, to review, scheduled or live: scheduling follows the time, never stored."""
        if self.status != self.Status.PUBLISHED:
            return self.State(self.status)
        return self.State.SCHEDULED if self.published_at > timezone.now() else self.State.LIVE

    def submit_for_review(self):
        """Hand the draft to the editors; a note from an earlier review has been dealt with."""
        self.status = self.Status.REVIEW
        self.submitted_at = timezone.now()
        self.review_note = ""

    def send_back(self, note):
        """Return the draft to its writer with what the editor asks for."""
        self.status = self.Status.DRAFT
        self.review_note = note

    def was_ever_published(self):
        """Whether readers may have seen this article: published now, or in a past revision."""
        return self.status == self.Status.PUBLISHED or (
            self.pk is not None and self.history.filter(status=self.Status.PUBLISHED).exists()
        )

    def publish(self):
        """Publish at the time set, or now if a draft's time has passed while it was written.

        An article readers saw before keeps its time, and so its address, which holds the
        date: published again after it was taken down, it is the same article.
        """
        if (
            self.status != self.Status.PUBLISHED
            and self.published_at < timezone.now()
            and not self.was_ever_published()
        ):
            self.published_at = timezone.now()
        self.status = self.Status.PUBLISHED
        self.review_note = ""

    def unpublish(self):
        self.status = self.Status.DRAFT

    @property
    def hero_srcset_jpeg(self):
        return srcset(self.hero_renditions, "jpeg")

    @property
    def hero_srcset_webp(self):
        return srcset(self.hero_renditions, "webp")

    @property
    def shows_thumbnail(self):
        """Whether lists show the hero image: never a sensitive one, which only the article's
        page shows, blurred behind its warning."""
        return bool(self.hero_image) and not self.hero_sensitive

    @property
    def hero_thumbnail(self):
        """The smallest rendition: what teasers' pictures ask for without ``srcset``, and
        their proportions (an image stored without renditions has only its original)."""
        if not self.hero_renditions:
            return ShareImage(self.hero_image.url, self.hero_width, self.hero_height, self.hero_alt)
        smallest = min(self.hero_renditions, key=lambda rendition: rendition["width"])
        url = self.hero_image.storage.url(smallest["jpeg"])
        return ShareImage(url, smallest["width"], smallest["height"], self.hero_alt)

    @property
    def last_modified(self):
        """When readers last saw the article change: its last save, or its publication if later."""
        return max(self.updated_at, self.published_at)

    @property
    def hero_preview(self):
        """The hero image at most SHARE_WIDTH wide: for link previews, and browsers without srcset.

        An image stored without renditions has only its original to offer.
        """
        if rendition := share_rendition(self.hero_renditions):
            url, width, height = (
                self.hero_image.storage.url(rendition["jpeg"]),
                rendition["width"],
                rendition["height"],
            )
        else:
            url, width, height = self.hero_image.url, self.hero_width, self.hero_height
        return ShareImage(url, width, height, self.hero_alt)

    @property
    def share_image(self):
        """The picture link previews show: the hero image, or else the drawn share card."""
        if self.hero_image and not self.hero_sensitive:
            return self.hero_preview
        if self.share_card:
            return ShareImage(self.share_card.url, share_card.WIDTH, share_card.HEIGHT, self.title)
        return None

    def blur_sensitive_image(self):
        """A sensitive image gets its blurred stand-in, drawn again only for a new image."""
        if not (self.hero_image and self.hero_sensitive):
            self.hero_blurred = {}
        elif self.hero_blurred.get("source") != self.hero_source_name:
            if self.hero_image._committed:
                with self.hero_image.open("rb") as file:
                    self.hero_blurred = blurred_rendition(file, self.hero_image.name)
            else:
                self.hero_blurred = blurred_rendition(self.hero_image.file, self.hero_image.name)
            self.hero_blurred["source"] = self.hero_source_name

    @property
    def hero_source_name(self):
        """A stored name that stands for the hero image's pixels, known before it is stored.

        Renditions are stored first and their names carry a digest of the pixels; the image's
        own name may still change when the storage stores it.
        """
        if self.hero_renditions:
            return self.hero_renditions[0]["jpeg"]
        return self.hero_image.name

    @property
    def hero_blurred_url(self):
        return self.hero_image.storage.url(self.hero_blurred["jpeg"])

    @property
    def hero_blurred_webp_url(self):
        return self.hero_image.storage.url(self.hero_blurred["webp"])

    def draw_share_card(self):
        """Draw the share card once, and again only when what it shows changes.

        A sensitive image is never a link preview: such an article gets a card too. A card is
        decoration: when the storage fails, the article is saved with the card it had, and the
        next save draws it.
        """
        if self.hero_image and not self.hero_sensitive:
            return
        with override(settings.LANGUAGE_CODE):
            date_text = house_date(timezone.localtime(self.published_at), "j F Y")
        try:
            self.share_card.name = share_card.stored_card(
                self.share_card.storage, settings.SITE_NAME, self.title, date_text
            )
        except STORAGE_ERRORS:
            logger.exception(
                "Share card of article %s not drawn; kept %r", self.pk, self.share_card.name
            )

    @property
    def byline(self):
        """The article's authors: as prefetched with the page's articles (prefetch_bylines())."""
        try:
            return self.prefetched_authors
        except AttributeError:
            return list(self.authors.all())

    @property
    def tag_list(self):
        """The article's tags: as prefetched with the page's articles (``prefetch_tags()``)."""
        try:
            return self.prefetched_tags
        except AttributeError:
            return list(self.tags.all())

    def related(self, limit=5, tag_ids=None, candidates=None):
        """Other published articles: pinned ones first, then by tags shared, then by recency.

        Tagged candidates are each tag's newest articles (see articles.listings), so the cost
        does not follow how many articles carry a tag; with a worker's kept ``candidates``
        (``listings.TagCandidates``), it is one query for the pins and the chosen articles.
        ``tag_ids``: the article's tags, when known without reading them.
        """
        if tag_ids is None:
            tag_ids = [tag.pk for tag in self.tag_list]
        deferred = (*NEVER_LOADED, *NOT_IN_TEASERS)
        pinned = getattr(self, "has_pins", True)
        return listings.related(Article, deferred, self.pk, tag_ids, limit, pinned, candidates)


def known_empty(instance, *relations):
    """Give these related managers of ``instance`` an empty prefetched result, without a query:
    for relations that an EXISTS annotation already found empty."""
    prefetched = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    for name in relations:
        # The related model's none(), not the related manager's, which builds the relation's
        # filter first (70 µs). Evaluated, as prefetch_related_objects() leaves its results:
        # an unevaluated none() still compiles its SQL when read (0.6 ms).
        empty = instance._meta.get_field(name).related_model._default_manager.none()
        empty._result_cache, empty._prefetch_done = [], True
        prefetched[name] = empty


class Correction(models.Model):
    """A dated correction note, shown to readers under the article it corrects."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("article")
    )
    text = models.TextField(_("correction"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # A correction is a significant update.
        article = Article.objects.filter(pk=self.article_id)
        article.filter(Q(revised_at__isnull=True) | Q(revised_at__lt=self.created_at)).update(
            revised_at=self.created_at
        )
        self.article_changed()

    def article_changed(self, **fields):
        """The article's page changed (Last-Modified follows updated_at), with these fields.

        update() rather than a save: it leaves the editors' lock counter alone, so their open
        forms stay valid, and makes no revision, which would name whoever changed the
        correction. It sends no signal either: the sitemaps' month lastmod, which follows
        updated_at, is refreshed here.
        """
        article = Article.objects.filter(pk=self.article_id)
        article.update(updated_at=timezone.now(), **fields)
        dayindex.refresh(map(timezone.localdate, article.values_list("published_at", flat=True)))

    def withdraw(self):
        """Once this correction is deleted, the article is updated as of its latest remaining
        correction or significant revision, or not at all: readers no longer see "Updated on"
        for a correction that is gone."""
        corrections = Correction.objects.filter(article_id=self.article_id)
        # A revision an editor marked significant dates from its save (Article.mark_significant).
        significant = Article.history.filter(id=self.article_id, significant=True)
        times = [
            corrections.aggregate(latest=Max("created_at"))["latest"],
            significant.aggregate(latest=Max("history_date"))["latest"],
        ]
        self.article_changed(revised_at=max(filter(None, times), default=None))


class Feature(models.Model):
    """An article editors put on the front page ("À la une"): the first position leads it.

    Kept apart from the article, so that choosing the front page neither makes a revision of
    each article nor touches the lock counter of forms open on them.
    """

    article = models.OneToOneField(
        Article, models.CASCADE, related_name="feature", verbose_name=_("article")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("front-page article")
        verbose_name_plural = _("front page")

    def __str__(self):
        return str(self.article)


@receiver(post_delete, sender=Correction, dispatch_uid="articles.correction_withdrawn")
def correction_withdrawn(sender, instance, **kwargs):
    """However a correction goes (the article's form, a bulk delete), its update goes too."""
    instance.withdraw()


def revision_name(record):
    """A revision as editors read it: "Frappes sur Kharkiv – version du 4 décembre 2026 à 22:30".

    django-simple-history names its records "… as of 2026-12-04 21:30:33.478681+00:00", in
    English and UTC, in the admin's titles and breadcrumbs; it takes no option for the name.
    """
    local = timezone.localtime(record.history_date)
    when = _("version of %(date)s at %(time)s") % {
        "date": house_date(local, "j F Y"),
        "time": local.strftime("%H:%M"),
    }
    return f"{record.title} – {when}"


Article.history.model.__str__ = revision_name


@receiver(pre_create_historical_record, sender=Article.history.model)
def record_significance(sender, instance, history_instance, **kwargs):
    """The revision a significant save leaves is marked so: the public history lists it."""
    history_instance.significant = instance.significant_change


class FormerSlug(models.Model):
    """A slug an article had before an editor changed it; its old links redirect to the article."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    article = models.ForeignKey(
        Article, models.CASCADE, related_name="former_slugs", verbose_name=_("article")
    )

    class Meta:
        verbose_name = _("former slug")
        verbose_name_plural = _("former slugs")

    def __str__(self):
        return self.slug


class FormerTagSlug(models.Model):
    """A slug a tag had before an editor renamed it or merged it into another: its old links
    (page and feeds) redirect to the tag that took it over."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    tag = models.ForeignKey(Tag, models.CASCADE, related_name="former_slugs", verbose_name=_("tag"))

    class Meta:
        verbose_name = _("former tag slug")
        verbose_name_plural = _("former tag slugs")

    def __str__(self):
        return self.slug


# The models of the search, listing and day indexes and of stored pages, registered with the
# app alongside Article.
from articles.dayindex.models import PublicationDay, PublicationMonth  # noqa: E402, F401
from articles.listings.models import (  # noqa: E402, F401
    AuthorAnchor,
    AuthorCount,
    AuthorListing,
    SectionAnchor,
    SectionCount,
    TagAnchor,
    TagCount,
    TagListing,
)
from articles.search.models import SearchEntry  # noqa: E402, F401
from articles.shells.models import ArticleShell  # noqa: E402, F401
