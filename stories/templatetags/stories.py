"""What article pages and the home page show of stories, without the articles app knowing them."""

from datetime import timedelta
from typing import NamedTuple

from django import template
from django.utils import timezone

from articles.models import SHOWN_ARTICLES
from articles.structured_data import json_ld
from stories import structured_data
from stories.models import TEASER_FIELDS, Story, threads_of
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


@register.simple_tag(takes_context=True)
def story_threads(context, article):
    """The stories ``article`` is in (at most three), each with the pieces either side of it.

    One query (``threads_of()``), whatever the stories' sizes. Read once per article: the
    page's top banner and its sidebar both show them.
    """
    if hasattr(article, "story_threads"):
        return article.story_threads
    threads = article.story_threads = []
    if not getattr(article, "in_stories", True):  # the article page's flag
        return threads
    threads += (Thread(*found) for found in threads_of(article, THREADS_SHOWN))
    # The page changes when a neighbour does: its Last-Modified follows them.
    context.get(SHOWN_ARTICLES, []).extend(
        other for thread in threads for other in (thread.previous, thread.next) if other
    )
    return threads


@register.simple_tag
def latest_piece_elsewhere(article, threads):
    """The latest piece of the first story that moved on past this dated article, or None."""
    if timezone.now() - article.published_at < DATED_AFTER:
        return None
    for thread in threads:
        if thread.next is not None:
            return MovedOn(thread.story, thread.story.timeline().only(*TEASER_FIELDS).first())
    return None


@register.simple_tag
def ongoing_stories(limit=6):
    return list(Story.objects.ongoing(limit))


@register.simple_tag
def story_json_ld(story, pieces, url, oldest_first=False):
    return json_ld(structured_data.collection_page(story, pieces, url, oldest_first))


@register.simple_tag
def article_places(article):
    """The article's dateline place (or None) and the places it is about: one query."""
    links = places_of(article)
    dateline = next((link.place for link in links if link.is_dateline), None)
    return dateline, [link.place for link in links if not link.is_dateline]
