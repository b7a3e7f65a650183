"""Story threads: an editor's grouping of articles that follow one subject over time."""

from functools import cache

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import rows
from articles.images import clean_and_render, srcset, validate_hero_image
from articles.links import slug_url
from articles.models import Article

# What a timeline or a thread shows of an article, and what its Last-Modified reads: pages
# that list pieces leave the rest of the article (its body above all) in the database.
TEASER_FIELDS = ("title", "slug", "dateline", "standfirst", "published_at", "updated_at")


def linked_timeline(link, oldest_first=False, after=None, **owner):
    """Published articles linked to an owner (a story, a place) through ``link``, by time.

    Each article carries its link's ``piece_at`` time (a copy of its publication time) and,
    for stories, ``is_key``. The order is the (owner, published_at, article) index of the links
    read forwards or backwards, and ``after`` (a link's ``(published_at, article_id)``)
    continues by key: a page costs the page, never the links before it.
    """
    ((field, value),) = owner.items()
    annotations = {
        "piece_at": models.F(f"{link}__published_at"),
        "piece_article": models.F(f"{link}__article"),
    }
    if link == "story_pieces":
        annotations["is_key"] = models.F(f"{link}__is_key")
    articles = (
        Article.objects.published().filter(**{f"{link}__{field}": value}).annotate(**annotations)
    )
    if after is not None:
        moment, pk = after
        # The bound on the time alone lets the database start the index scan at the key; the
        # OR that settles ties would otherwise only filter a scan from the story's end.
        if oldest_first:
            later = models.Q(piece_at__gte=moment) & (
                models.Q(piece_at__gt=moment) | models.Q(piece_article__gt=pk)
            )
        else:
            later = models.Q(piece_at__lte=moment) & (
                models.Q(piece_at__lt=moment) | models.Q(piece_article__lt=pk)
            )
        articles = articles.filter(later)
    if oldest_first:
        return articles.order_by("piece_at", "piece_article")
    return articles.order_by("-piece_at", "-piece_article")


class StoryQuerySet(models.QuerySet):
    def with_published_pieces(self):
        """Stories readers may see: those holding at least one published article.

        A story made ahead of its first piece would otherwise announce unpublished work.
        """
        return self.filter(
            models.Exists(
                Article.objects.published().filter(story_pieces__story=models.OuterRef("pk"))
            )
        )

    def ongoing_first(self):
        ongoing = models.Case(
            models.When(status=Story.Status.ONGOING, then=0),
            default=1,
            output_field=models.IntegerField(),
        )
        return self.order_by(ongoing, "-updated_at", "pk")

    def ongoing(self, limit):
        """Up to ``limit`` ongoing stories readers may see, last saved first, with only their
        title and address: the home page's list.

        Written out as SQL: the ORM took 0.7 ms to build this query on every home page built,
        the database a few hundredths of one to probe each story's pieces. Not prepared
        (``rows.cursor()``): planned for any time rather than now, PostgreSQL walked a story of
        5,000 pieces to find a published one (7.9 ms instead of 0.6).
        """
        ops = connection.ops
        story, piece, article = (
            ops.quote_name(model._meta.db_table) for model in (Story, StoryPiece, Article)
        )
        sql = (
            f"SELECT id, title, slug FROM {story} WHERE status = %s AND EXISTS (SELECT 1 "
            f"FROM {piece} INNER JOIN {article} ON {article}.id = {piece}.article_id "
            f"WHERE {piece}.story_id = {story}.id AND {article}.status = %s "
            f"AND {article}.published_at <= %s) ORDER BY updated_at DESC, id LIMIT %s"
        )
        now = ops.adapt_datetimefield_value(timezone.now())
        return self.raw(sql, [Story.Status.ONGOING, Article.Status.PUBLISHED, now, limit])


class Story(models.Model):
    class Status(models.TextChoices):
        ONGOING = "ongoing", _("Ongoing")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    summary = models.TextField(
        _("summary"), help_text=_("A few sentences shown above the timeline.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ONGOING
    )
    image = models.ImageField(
        _("image"),
        upload_to="stories/%Y/%m/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        validators=[validate_hero_image],
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(_("image description (alt text)"), max_length=250, blank=True)
    # Made at upload time by the articles' image pipeline, as for hero images.
    image_renditions = models.JSONField(default=list, blank=True, editable=False)
    articles = models.ManyToManyField(
        Article, through="StoryPiece", related_name="stories", verbose_name=_("articles")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            # Upright, stripped of metadata and resized, exactly as an article's hero image.
            content, self.image_width, self.image_height, self.image_renditions = clean_and_render(
                self.image.file
            )
            self.image.file, self.image.name = content, content.name
        elif not self.image:
            self.image_renditions = []
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("stories:detail", self.slug)

    def clean(self):
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Describe the image for readers who cannot see it.")}
            )

    @property
    def is_ongoing(self):
        return self.status == self.Status.ONGOING

    @property
    def image_srcset_jpeg(self):
        return srcset(self.image_renditions, "jpeg")

    @property
    def image_srcset_webp(self):
        return srcset(self.image_renditions, "webp")

    def timeline(self, oldest_first=False, after=None):
        """The story's published articles, newest (or oldest) first; see ``linked_timeline``."""
        return linked_timeline("story_pieces", story=self, oldest_first=oldest_first, after=after)

    def key_pieces(self, limit=5):
        """The pieces an editor marked as key, newest first."""
        # IN (true), not Django's bare "is_key": SQLite seeks an index on a comparison only,
        # and would walk the whole timeline's index for a story's few key pieces.
        return self.timeline().filter(is_key__in=[True]).only(*TEASER_FIELDS)[:limit]


class StoryPiece(models.Model):
    """An article's place in a story; it carries a copy of the article's publication time so
    that the timeline is read from one index, newest or oldest first."""

    story = models.ForeignKey(Story, models.CASCADE, related_name="pieces", verbose_name=_("story"))
    article = models.ForeignKey(
        Article, models.CASCADE, related_name="story_pieces", verbose_name=_("article")
    )
    is_key = models.BooleanField(
        _("key piece"), default=False, help_text=_("Shown at the top of the story's page.")
    )
    # Kept in step with the article's by save() and by a signal on the article's save.
    published_at = models.DateTimeField(_("publication time"), editable=False)

    class Meta:
        ordering = ["-published_at", "-article"]
        verbose_name = _("story piece")
        verbose_name_plural = _("story pieces")
        constraints = [
            models.UniqueConstraint(
                fields=["story", "article"], name="stories_one_piece_per_article"
            )
        ]
        indexes = [
            models.Index(fields=["story", "published_at", "article"], name="stories_timeline"),
            # The few key pieces of a long story, read without walking its whole timeline.
            models.Index(
                fields=["story", "is_key", "published_at", "article"], name="stories_key_pieces"
            ),
        ]

    def __str__(self):
        return f"{self.story} – {self.article}"

    def save(self, *args, **kwargs):
        self.published_at = self.article.published_at
        super().save(*args, **kwargs)
        # The story changed: its place in the list of stories and its sitemap entry follow.
        Story.objects.filter(pk=self.story_id).update(updated_at=timezone.now())


def threads_of(article, limit):
    """The stories ``article`` is in, by title (at most ``limit``), each with the published
    pieces just before and just after it: (story, previous, next) triples, the neighbours
    None where there is none and read as teasers (``TEASER_FIELDS``).

    One statement written out, whatever the stories' sizes (``thread_statement()``). The ORM
    took a query for the stories, then two per story.
    """
    sql, deferred = thread_statement()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    published = [Article.Status.PUBLISHED, now]
    using = StoryPiece.objects.db
    with rows.cursor(using) as cursor:
        cursor.execute(sql, [*published, *published, article.pk, limit])
        found = cursor.fetchall()
    parts = ((Story, ()), (Article, deferred), (Article, deferred))
    return [rows.split(row, using, *parts)[0] for row in found]


@cache
def thread_statement():
    """The SQL of ``threads_of()``, built once per process, and the article fields its
    neighbours leave unread. Each neighbour is the first row of the (story, published_at,
    article) index on either side of the article's own key."""
    quote = connection.ops.quote_name
    piece, story, table = (quote(model._meta.db_table) for model in (StoryPiece, Story, Article))
    deferred = tuple(
        field.name
        for field in Article._meta.concrete_fields
        if field.name not in TEASER_FIELDS and not field.primary_key
    )

    def neighbour(before):
        # The bound on the time alone starts the index scan at the article's own key; the OR
        # that settles ties between pieces of the same time then filters a row or two.
        side, order = ("<", "DESC") if before else (">", "ASC")
        return (
            f"(SELECT other.article_id FROM {piece} other "
            f"INNER JOIN {table} shown ON shown.id = other.article_id "
            f"WHERE other.story_id = own.story_id AND other.published_at {side}= own.published_at "
            f"AND (other.published_at {side} own.published_at "
            f"OR other.article_id {side} own.article_id) "
            f"AND shown.status = %s AND shown.published_at <= %s "
            f"ORDER BY other.published_at {order}, other.article_id {order} LIMIT 1)"
        )

    sql = (
        f"SELECT {rows.columns(Story, 'story')}, {rows.columns(Article, 'previous', deferred)}, "
        f"{rows.columns(Article, 'following', deferred)} FROM ("
        f"SELECT own.story_id, {neighbour(True)} AS previous_id, {neighbour(False)} AS next_id "
        f"FROM {piece} own WHERE own.article_id = %s) thread "
        f"INNER JOIN {story} story ON story.id = thread.story_id "
        f"LEFT JOIN {table} previous ON previous.id = thread.previous_id "
        f"LEFT JOIN {table} following ON following.id = thread.next_id "
        "ORDER BY story.title, story.id LIMIT %s"
    )
    return sql, deferred


class PlaceQuerySet(models.QuerySet):
    def match_dateline(self, article):
        """Give ``article`` the place its free-text dateline names, if one has that name.

        Returns the place, or None: no dateline text, no such place, or a dateline already set.
        """
        text = article.dateline.strip()
        if not text or article.place_links.filter(is_dateline=True).exists():
            return None
        place = self.filter(name__iexact=text).first()
        if place is not None:
            ArticlePlace.objects.update_or_create(
                article=article, place=place, defaults={"is_dateline": True}
            )
        return place

    def with_published_coverage(self):
        """Places readers may see: those of at least one published article."""
        return self.filter(
            models.Exists(
                Article.objects.published().filter(place_links__place=models.OuterRef("pk"))
            )
        )


class Place(models.Model):
    """A place articles are written from (their dateline) or about."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    country = models.CharField(_("country"), max_length=80)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )

    objects = PlaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("stories:place", self.slug)

    def timeline(self, oldest_first=False, after=None):
        """The published coverage from or about the place, newest first."""
        return self.timeline_of(self, oldest_first, after)

    @staticmethod
    def timeline_of(place, oldest_first=False, after=None):
        """``timeline()`` of a place or of an expression naming one, such as ``OuterRef``."""
        return linked_timeline("place_links", place=place, oldest_first=oldest_first, after=after)


class ArticlePlace(models.Model):
    """An article's dateline (at most one) or a place it is about."""

    article = models.ForeignKey(
        Article, models.CASCADE, related_name="place_links", verbose_name=_("article")
    )
    place = models.ForeignKey(Place, models.CASCADE, related_name="links", verbose_name=_("place"))
    is_dateline = models.BooleanField(
        _("dateline"), default=False, help_text=_("Where the article was written from.")
    )
    # Kept in step with the article's, as a story piece's is.
    published_at = models.DateTimeField(_("publication time"), editable=False)

    class Meta:
        ordering = ["-is_dateline", "place__name"]
        verbose_name = _("article place")
        verbose_name_plural = _("article places")
        constraints = [
            models.UniqueConstraint(fields=["article", "place"], name="stories_one_link_per_place"),
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(is_dateline=True),
                name="stories_one_dateline_per_article",
            ),
        ]
        indexes = [
            models.Index(fields=["place", "published_at", "article"], name="stories_place_coverage")
        ]

    def __str__(self):
        return f"{self.article} – {self.place}"

    def save(self, *args, **kwargs):
        self.published_at = self.article.published_at
        super().save(*args, **kwargs)
