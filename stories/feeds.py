"""RSS and Atom feeds of a story's latest published pieces, and of a place's coverage."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from articles.feeds import LatestArticlesFeed
from articles.links import absolute_url
from stories.models import Place, Story


class StoryFeed(LatestArticlesFeed):
    url_name = "feed-rss"

    def get_object(self, request, slug):
        return get_object_or_404(Story.objects.with_published_pieces(), slug=slug)

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute_url(reverse(f"stories:{self.url_name}", kwargs={"slug": obj.slug}))

    def description(self, obj):
        return obj.summary

    def newest(self, obj):
        return list(obj.timeline().teasers()[: self.size])


class StoryAtomFeed(StoryFeed):
    feed_type = Atom1Feed
    url_name = "feed-atom"


class PlaceFeed(StoryFeed):
    url_name = "place-feed-rss"

    def get_object(self, request, slug):
        return get_object_or_404(Place.objects.with_published_coverage(), slug=slug)

    def description(self, obj):
        return _("The latest articles from or about %(place)s.") % {"place": obj.name}


class PlaceAtomFeed(PlaceFeed):
    feed_type = Atom1Feed
    url_name = "place-feed-atom"
