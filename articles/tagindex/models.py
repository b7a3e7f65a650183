"""The tag index's tables: derived from the taggings and the articles, never edited by hand."""

from django.db import models
from django.utils import timezone
from taggit.models import Tag, TaggedItem


class TagListingQuerySet(models.QuerySet):
    def published(self):
        """Article.objects.published()'s rule on the copied time: null while not published."""
        return self.filter(published_at__lte=timezone.now())

    def scheduled(self):
        """Published articles whose time has not come: they appear without any save."""
        return self.filter(published_at__gt=timezone.now())


class TagListing(models.Model):
    """One tagging of an article, with the article's publication time beside the tag.

    Its index on (tag, publication time) lists a tag's newest articles by reading only the
    rows asked for, where a join of taggit's table to the articles reads all of the tag's.
    """

    tagged_item = models.OneToOneField(
        TaggedItem, models.CASCADE, primary_key=True, related_name="+"
    )
    tag = models.ForeignKey(Tag, models.CASCADE, related_name="+", db_index=False)
    article = models.ForeignKey("articles.Article", models.CASCADE, related_name="tag_listings")
    # The article's publication time while its status is published, else null.
    published_at = models.DateTimeField(null=True)

    objects = TagListingQuerySet.as_manager()

    class Meta:
        app_label = "articles"
        indexes = [
            models.Index(fields=["tag", "published_at", "article"], name="taglisting_recent")
        ]

    def __str__(self):
        return f"{self.tag_id}:{self.article_id}"


class TagCount(models.Model):
    """How many articles with the published status carry the tag, scheduled ones included."""

    tag = models.OneToOneField(Tag, models.CASCADE, primary_key=True, related_name="tally")
    published = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "articles"

    def __str__(self):
        return f"{self.tag_id}: {self.published}"
