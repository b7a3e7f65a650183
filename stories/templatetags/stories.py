"""What article pages and the home page show of stories, without the articles app knowing them."""

from datetime import timedelta
from typing import NamedTuple

from django import template
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from articles.models import SHOWN_ARTICLES
from articles.structured_data import json_ld
from stories import structured_data
from stories.models import Story, StoryPiece, linked_timeline
from stories.structured_data import places_of

register = template.Library()

# An article older than this, in a story that has moved on, points readers to the latest piece.
DATED_AFTER = timedelta(days=30)
THREADS_SHOWN = 3


class MovedOn(NamedTuple):
    story: Story
    latest: object


class Thread(NamedTuple):
    story: Story
    previous: object
    next: object
    latest: object


@register.simple_tag(takes_context=True)
def story_threads(context, article):
    """The stories ``article`` is in (at most three), each with the pieces either side of it
    and its latest piece if later than the article.

    One query whatever the stories' number and sizes: the article's pieces, and for each of
    its stories the published pieces found by three index lookups (previous, next, latest).
    """
    own = StoryPiece.objects.filter(article=article)

    def found(**timeline):
        """The article ids that one lookup finds in each of the article's stories."""
        pieces = linked_timeline("story_pieces", story=OuterRef("story"), **timeline)
        return own.annotate(found=Subquery(pieces.values("pk")[:1])).values("found")

    here = (article.published_at, article.pk)
    rows = (
        StoryPiece.objects.filter(story__in=own.values("story"))
        .filter(
            Q(article=article)
            | Q(article__in=found(after=here))
            | Q(article__in=found(oldest_first=True, after=here))
            | Q(article__in=found())
        )
        .select_related("story", "article")
        .defer("article__body", "article__search_vector")
    )
    stories = {}
    for piece in rows:
        story, others = stories.setdefault(piece.story_id, (piece.story, []))
        if piece.article_id != article.pk:
            # A piece found for another of the article's stories is still a published piece
            # of this one, and never nearer than the one found for this story.
            piece.article.piece_at = piece.published_at
            others.append(piece.article)
    threads = []
    for story, others in sorted(stories.values(), key=lambda entry: (entry[0].title, entry[0].pk)):

        def key(other):
            return (other.piece_at, other.pk)

        earlier = [other for other in others if key(other) < here]
        later = [other for other in others if key(other) > here]
        threads.append(
            Thread(
                story,
                max(earlier, key=key, default=None),
                min(later, key=key, default=None),
                max(later, key=key, default=None),
            )
        )
    threads = threads[:THREADS_SHOWN]
    # The page changes when a neighbour does: its Last-Modified follows them.
    context.get(SHOWN_ARTICLES, []).extend(
        other
        for thread in threads
        for other in (thread.previous, thread.next, thread.latest)
        if other
    )
    return threads


@register.simple_tag
def latest_piece_elsewhere(article, threads):
    """The latest piece of the first story that moved on past this dated article, or None."""
    if timezone.now() - article.published_at < DATED_AFTER:
        return None
    for thread in threads:
        if thread.next is not None:
            return MovedOn(thread.story, thread.latest)
    return None


@register.simple_tag
def ongoing_stories(limit=6):
    return list(
        Story.objects.with_published_pieces()
        .filter(status=Story.Status.ONGOING)
        .ongoing_first()[:limit]
    )


@register.simple_tag
def story_json_ld(story, pieces, url, oldest_first=False):
    return json_ld(structured_data.collection_page(story, pieces, url, oldest_first))


@register.simple_tag
def article_places(article):
    """The article's dateline place (or None) and the places it is about: one query."""
    links = places_of(article)
    dateline = next((link.place for link in links if link.is_dateline), None)
    return dateline, [link.place for link in links if not link.is_dateline]
