"""The listing index's tables: derived from taggings, bylines and articles, never edited by hand."""

from django.db import models
from django.utils import timezone
from taggit.models import Tag, TaggedItem


class ListingQuerySet(models.QuerySet):
    def published(self):
        """Article.objects.published()'s rule on the copied time: null while not published."""
        return self.filter(published_at__lte=timezone.now())

    def scheduled(self):
        """Published articles whose time has not come: they appear without any save."""
        return self.filter(published_at__gt=timezone.now())


class Listing(models.Model):
    """An article on a list (a tag's, an author's), with its publication time beside the key.

    The index on (key, publication time) lists the newest articles by reading only the rows
    asked for, where a join of the link table to the articles reads all of the list's.
    """

    article = models.ForeignKey("articles.Article", models.CASCADE, related_name="+")
    # The article's publication time while its status is published, else null.
    published_at = models.DateTimeField(null=True)

    objects = ListingQuerySet.as_manager()

    class Meta:
        abstract = True
        app_label = "articles"


class TagListing(Listing):
    """A tagging of an article (one row of taggit's table)."""

    tagged_item = models.OneToOneField(
        TaggedItem, models.CASCADE, primary_key=True, related_name="+"
    )
    tag = models.ForeignKey(Tag, models.CASCADE, related_name="+", db_index=False)
    # Indexed with the tag: the related sidebar counts each candidate's shared tags from its
    # rows, which the index then answers alone, without reading the table.
    article = models.ForeignKey(
        "articles.Article", models.CASCADE, related_name="tag_listings", db_index=False
    )

    class Meta:
        app_label = "articles"
        indexes = [
            models.Index(fields=["tag", "published_at", "article"], name="taglisting_recent"),
            models.Index(fields=["article", "tag"], name="taglisting_article_tags"),
        ]

    def __str__(self):
        return f"{self.tag_id}:{self.article_id}"


class AuthorListing(Listing):
    """An author of an article (a row of the byline table, which Django owns)."""

    author = models.ForeignKey("articles.Author", models.CASCADE, related_name="+", db_index=False)

    class Meta:
        app_label = "articles"
        constraints = [
            models.UniqueConstraint(fields=["author", "article"], name="authorlisting_unique")
        ]
        indexes = [
            models.Index(fields=["author", "published_at", "article"], name="authorlisting_recent")
        ]

    def __str__(self):
        return f"{self.author_id}:{self.article_id}"


class Tally(models.Model):
    """How many articles with the published status a tag, an author or a section has,
    scheduled ones included: its page's count, where a COUNT of its range of an index grew
    with the archive. The key is the subclass's one-to-one primary key."""

    published = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        app_label = "articles"

    def __str__(self):
        return f"{self.pk}: {self.published}"


class TagCount(Tally):
    tag = models.OneToOneField(Tag, models.CASCADE, primary_key=True, related_name="tally")


class SectionCount(Tally):
    section = models.OneToOneField(
        "articles.Section", models.CASCADE, primary_key=True, related_name="tally"
    )


class AuthorCount(Tally):
    author = models.OneToOneField(
        "articles.Author", models.CASCADE, primary_key=True, related_name="tally"
    )


class Anchor(models.Model):
    """A publication time in a list (a tag's, an author's, a section's articles, oldest
    first) with how many of its articles with the published status are older: where the
    list's index range from that time on starts.

    A deep page seeks to the nearest anchor through the list's index and skips fewer than
    2 × ``articles.listings.anchors.STEP`` entries, instead of an OFFSET that grows with the
    list. A time, not a row: it stays right when its article leaves the list, and only
    writes before it move its position.
    """

    position = models.PositiveIntegerField()
    published_at = models.DateTimeField()

    class Meta:
        abstract = True
        app_label = "articles"

    def __str__(self):
        return f"{self.position}: {self.published_at:%Y-%m-%d %H:%M:%S.%f}"


class TagAnchor(Anchor):
    tag = models.ForeignKey(Tag, models.CASCADE, related_name="+", db_index=False)

    class Meta:
        app_label = "articles"
        indexes = [models.Index(fields=["tag", "position"], name="taganchor_position")]


class AuthorAnchor(Anchor):
    author = models.ForeignKey("articles.Author", models.CASCADE, related_name="+", db_index=False)

    class Meta:
        app_label = "articles"
        indexes = [models.Index(fields=["author", "position"], name="authoranchor_position")]


class SectionAnchor(Anchor):
    section = models.ForeignKey(
        "articles.Section", models.CASCADE, related_name="+", db_index=False
    )

    class Meta:
        app_label = "articles"
        indexes = [models.Index(fields=["section", "position"], name="sectionanchor_position")]
