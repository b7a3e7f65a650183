"""Story threads: an editor's grouping of articles that follow one subject over time."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.images import clean_and_render, srcset, validate_hero_image
from articles.models import Article


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
        return reverse("stories:detail", kwargs={"slug": self.slug})

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
        """The story's published articles, newest (or oldest) first, from a piece on.

        Each article carries its piece's ``piece_at`` time and ``is_key`` flag. The order is the
        (story, published_at, article) index of the pieces read forwards or backwards, and
        ``after`` (a piece's ``(published_at, article_id)``) continues by key: a page of a story
        costs the page, never the pieces before it.
        """
        articles = (
            Article.objects.published()
            .filter(story_pieces__story=self)
            .annotate(
                piece_at=models.F("story_pieces__published_at"),
                piece_article=models.F("story_pieces__article"),
                is_key=models.F("story_pieces__is_key"),
            )
        )
        if after is not None:
            moment, pk = after
            if oldest_first:
                later = models.Q(piece_at__gt=moment) | models.Q(
                    piece_at=moment, piece_article__gt=pk
                )
            else:
                later = models.Q(piece_at__lt=moment) | models.Q(
                    piece_at=moment, piece_article__lt=pk
                )
            articles = articles.filter(later)
        if oldest_first:
            return articles.order_by("piece_at", "piece_article")
        return articles.order_by("-piece_at", "-piece_article")

    def key_pieces(self, limit=5):
        """The pieces an editor marked as key, newest first."""
        return self.timeline().filter(is_key=True)[:limit]


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
