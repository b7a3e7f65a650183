"""Live coverage: an article that takes short, timestamped updates through a night of news."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from articles import dayindex
from articles.html import sanitize
from articles.images import clean_and_render, srcset, validate_hero_image
from articles.models import Article, Author, SourcedWork
from stories.models import StoryPiece

# Updates on the live article's page, and on each page of earlier ones.
PAGE_SIZE = 20


class CoverageState(models.TextChoices):
    """Live while updates keep coming; closed by an editor or after a quiet spell."""

    LIVE = "live", pgettext_lazy("coverage", "Live")
    CLOSED = "closed", pgettext_lazy("coverage", "Closed")


class LiveCoverageQuerySet(models.QuerySet):
    def published(self):
        """Coverage of articles readers may see (Article.objects.published() decides)."""
        return self.filter(article__in=Article.objects.published())


class LiveCoverage(models.Model):
    """An article run as a live page; it shares the article's id.

    ``sequence`` counts every change to its updates (posted, corrected, withdrawn): readers'
    pages poll for the changes after the number they have, and the number, kept in the cache
    at write time, answers most polls without the database.
    """

    article = models.OneToOneField(
        Article,
        models.CASCADE,
        primary_key=True,
        related_name="live_coverage",
        verbose_name=_("article"),
    )
    started_at = models.DateTimeField(_("coverage start"), default=timezone.now)
    closed_at = models.DateTimeField(
        _("closed at"),
        null=True,
        blank=True,
        help_text=_("Set when an editor closes the coverage; empty while it runs."),
    )
    close_after_hours = models.PositiveSmallIntegerField(
        _("closes itself after (hours without an update)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )
    # The last update posted (or the reopening): the quiet spell that closes it counts from here.
    last_activity_at = models.DateTimeField(_("last update"), default=timezone.now, editable=False)
    sequence = models.PositiveIntegerField(_("changes"), default=0, editable=False)

    objects = LiveCoverageQuerySet.as_manager()
    _reopened = False

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("live coverage")
        verbose_name_plural = _("live coverages")

    def __str__(self):
        return str(self.article)

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            # The change counter and the last update's time move with the updates (advance()),
            # never back to what an instance read before them holds: an editor saving the
            # settings while others post would otherwise undo their numbers.
            kept = {"sequence"} if self._reopened else {"sequence", "last_activity_at"}
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in kept
            ]
        super().save(*args, **kwargs)
        self._reopened = False

    def get_absolute_url(self):
        return self.article.get_absolute_url()

    @property
    def ends_at(self):
        """When the coverage ends: the editor's closing time, else the end of the quiet spell.

        Derived, not stored: a page read after a quiet spell is closed with no job to run, just
        as a scheduled article appears at its time.
        """
        quiet_end = self.last_activity_at + timedelta(hours=self.close_after_hours)
        return min(self.closed_at, quiet_end) if self.closed_at else quiet_end

    @property
    def state(self):
        return CoverageState.LIVE if timezone.now() < self.ends_at else CoverageState.CLOSED

    @property
    def is_live(self):
        return self.state == CoverageState.LIVE

    @property
    def coverage_end(self):
        """The end readers are told of (JSON-LD's coverageEndTime): None while live."""
        return None if self.is_live else self.ends_at

    def close(self):
        self.closed_at = timezone.now()

    def reopen(self):
        """Live again, and the quiet spell counts from now."""
        self.closed_at = None
        self.last_activity_at = timezone.now()
        self._reopened = True

    def advance(self, posted):
        """Count one change to the updates, and return its number.

        An UPDATE with F() is atomic: two editors posting at once get two numbers, in the order
        their transactions commit, since the row stays locked until then. A posted update also
        restarts the quiet spell; the article's last change follows (Last-Modified, sitemaps).
        """
        now = timezone.now()
        changes = {"sequence": models.F("sequence") + 1}
        if posted:
            changes["last_activity_at"] = now
        coverage = LiveCoverage.objects.filter(pk=self.pk)
        coverage.update(**changes)
        article = Article.objects.filter(pk=self.pk)
        # update() leaves the editors' lock counter alone: an open article form stays valid.
        article.update(updated_at=now)
        dayindex.refresh(map(timezone.localdate, article.values_list("published_at", flat=True)))
        return coverage.values_list("sequence", flat=True).get()

    def earlier_url(self, update):
        """The page of earlier updates that starts with ``update``."""
        return reverse("live:earlier", kwargs={"pk": self.pk, "update": update.pk})

    def visible_updates(self):
        return self.updates.visible().for_page()


class LiveUpdateQuerySet(models.QuerySet):
    def visible(self):
        """Updates readers see: every one not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def for_page(self):
        """Newest first, with what an update shows beside its text, in the same query."""
        return self.select_related("author", "article").order_by("-pk")

    def key_events(self):
        return self.visible().filter(is_key=True).order_by("-pk")


class LiveUpdate(SourcedWork):
    """One short update of a live coverage: its own row, so editors posting at once never
    overwrite each other, and the article's lock never stands in their way.

    It carries the articles' sourcing label ("Selon Reuters", "Information non confirmée").
    """

    coverage = models.ForeignKey(
        LiveCoverage, models.CASCADE, related_name="updates", verbose_name=_("live coverage")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    image = models.ImageField(
        _("image"),
        upload_to="live/%Y/%m/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        validators=[validate_hero_image],
    )
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = models.CharField(_("image description (alt text)"), max_length=250, blank=True)
    image_renditions = models.JSONField(default=list, blank=True, editable=False)
    is_key = models.BooleanField(
        _("key event"), default=False, help_text=_("Summarised at the top of the live page.")
    )
    author = models.ForeignKey(
        Author,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="live_updates",
        verbose_name=_("author"),
    )
    posted_at = models.DateTimeField(_("posted at"), default=timezone.now, editable=False)
    edited_at = models.DateTimeField(_("corrected at"), null=True, blank=True, editable=False)
    # Withdrawn rather than deleted: the next poll tells readers' pages to take it away, and
    # the history keeps what it said.
    withdrawn_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    # The coverage's change number when this update last changed (see LiveCoverage.sequence).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    article = models.ForeignKey(
        Article,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("article made from it"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("posted by"),
    )

    objects = LiveUpdateQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["sequence"])

    class Meta:
        ordering = ["-pk"]
        get_latest_by = "pk"
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        indexes = [
            # A page of updates, newest first, continuing from an update: one range of this index.
            models.Index(fields=["coverage", "id"], name="live_update_page"),
            # A poll: the changes after the reader's number.
            models.Index(fields=["coverage", "sequence"], name="live_update_changes"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body = sanitize(self.body)
        if self.image and not self.image._committed:
            content, self.image_width, self.image_height, self.image_renditions = clean_and_render(
                self.image.file
            )
            self.image.file, self.image.name = content, content.name
        elif not self.image:
            self.image_renditions = []
        posted = self._state.adding
        if not posted and self.withdrawn_at is None:
            self.edited_at = timezone.now()
        with transaction.atomic():
            self.sequence = self.coverage.advance(posted=posted)
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The update's permanent link: it leads to whichever page holds the update."""
        return reverse("live:update", kwargs={"pk": self.pk})

    def clean(self):
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Describe the image for readers who cannot see it.")}
            )

    @property
    def anchor(self):
        return f"update-{self.pk}"

    @property
    def headline(self):
        """The title, or the first words of the text."""
        return self.title or Truncator(strip_tags(self.body)).words(12)

    @property
    def is_corrected(self):
        return self.edited_at is not None

    @property
    def image_srcset_jpeg(self):
        return srcset(self.image_renditions, "jpeg")

    @property
    def image_srcset_webp(self):
        return srcset(self.image_renditions, "webp")

    @property
    def published_article(self):
        """The article made from this update, once readers can read it."""
        if self.article is not None and self.article.state == Article.State.LIVE:
            return self.article
        return None

    def withdraw(self):
        """Take the update away from readers; its rows stay, for the history."""
        self.withdrawn_at = timezone.now()
        self.save()

    def make_article(self, user=None):
        """A draft article from this update, carrying the live page's tags and stories.

        The update links to it once an editor publishes it.
        """
        live_article = self.coverage.article
        text = strip_tags(self.body)
        with transaction.atomic():
            article = Article.objects.create(
                title=self.title or Truncator(text).chars(120),
                standfirst=Truncator(text).chars(300),
                body=self.body,
                status=Article.Status.DRAFT,
                created_by=user,
            )
            article.authors.set([self.author] if self.author else live_article.authors.all())
            article.tags.set(list(live_article.tags.all()))
            for piece in StoryPiece.objects.filter(article=live_article):
                StoryPiece.objects.create(story_id=piece.story_id, article=article)
            # Not a change readers see before the article is published: no new change number.
            LiveUpdate.objects.filter(pk=self.pk).update(article=article)
            self.article = article
        return article
