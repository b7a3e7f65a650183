from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import Tag

from articles import search
from articles.html import sanitize


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
        return reverse("articles:author", kwargs={"slug": self.slug})


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles readers may see: published, and whose time has come.

        A future publication time is simply not visible yet, so scheduling needs no cron job.
        """
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def top_tags(self, limit):
        """The tags most used by these articles, with their count as ``article_count``."""
        return (
            Tag.objects.filter(article__in=self)
            .annotate(article_count=Count("article"))
            .order_by("-article_count", "name")[:limit]
        )

    def search(self, query):
        """These articles matching a parsed search ``Query``, most relevant first, then newest."""
        return search.engine().search(self, query)

    def for_listing(self):
        """Everything a list of article teasers shows, in a constant number of queries."""
        return self.prefetch_related("authors")


class ArticleManager(models.Manager.from_queryset(ArticleQuerySet)):
    def get_queryset(self):
        # The search vector is for PostgreSQL's eyes only: pages never load it.
        return super().get_queryset().defer("search_vector")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

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
    published_at = models.DateTimeField(_("publication time"), default=timezone.now)
    revised_at = models.DateTimeField(
        _("significant update"),
        null=True,
        blank=True,
        help_text=_("Set when the article changed in substance; readers see “Updated on …”."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    authors = models.ManyToManyField(Author, related_name="articles", verbose_name=_("authors"))
    tags = TaggableManager(_("tags"), blank=True)
    hero_image = models.ImageField(
        _("hero image"),
        upload_to="heroes/%Y/%m/",
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
    )
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_alt = models.CharField(_("image description (alt text)"), max_length=250, blank=True)
    hero_caption = models.CharField(_("caption"), max_length=300, blank=True)
    hero_credit = models.CharField(_("credit"), max_length=150, blank=True)
    # Filled on PostgreSQL only, by the search engine (articles.search) after each save.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        get_latest_by = "published_at"
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["status", "published_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug()
        # Sanitise at write time so reader pages only ever read safe HTML.
        self.body = sanitize(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # The date in the URL is the Paris date, as readers see it on the page.
        local = timezone.localtime(self.published_at)
        return reverse(
            "articles:detail",
            kwargs={"year": local.year, "month": local.month, "day": local.day, "slug": self.slug},
        )

    def clean(self):
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
    def is_revised(self):
        return self.revised_at is not None and self.revised_at > self.published_at

    def related(self, limit=5):
        """Other published articles, ranked by the number of tags shared, then by recency."""
        tag_ids = [tag.pk for tag in self.tags.all()]
        return (
            Article.objects.published()
            .exclude(pk=self.pk)
            .filter(tags__in=tag_ids)
            .annotate(shared_tags=Count("tags"))
            .order_by("-shared_tags", "-published_at", "-pk")[:limit]
        )


# The SQLite search index's model, registered with the app alongside Article.
from articles.search.models import SearchEntry  # noqa: E402, F401
