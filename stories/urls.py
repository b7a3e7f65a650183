from django.urls import path

from articles.cache import shared_cache
from stories import feeds, sitemaps, views

app_name = "stories"

timeline = views.StoryTimelineView.as_view()
oldest_first = views.StoryTimelineView.as_view(oldest_first=True)
place = views.PlaceTimelineView.as_view()

urlpatterns = [
    path("stories/", shared_cache(views.StoryListView.as_view()), name="list"),
    path("stories/<slug:slug>/", shared_cache(timeline), name="detail"),
    path("stories/<slug:slug>/oldest/", shared_cache(oldest_first), name="detail-oldest"),
    # Continuations by key, in the path: the page cache keys on the path.
    path("stories/<slug:slug>/before/<int:article>/", shared_cache(timeline), name="detail-before"),
    path(
        "stories/<slug:slug>/after/<int:article>/",
        shared_cache(oldest_first),
        name="detail-after",
    ),
    path("stories/<slug:slug>/rss/", shared_cache(feeds.StoryFeed()), name="feed-rss"),
    path("stories/<slug:slug>/atom/", shared_cache(feeds.StoryAtomFeed()), name="feed-atom"),
    path("places/<slug:slug>/", shared_cache(place), name="place"),
    path("places/<slug:slug>/before/<int:article>/", shared_cache(place), name="place-before"),
    path("places/<slug:slug>/rss/", shared_cache(feeds.PlaceFeed()), name="place-feed-rss"),
    path("places/<slug:slug>/atom/", shared_cache(feeds.PlaceAtomFeed()), name="place-feed-atom"),
    path("sitemap-stories.xml", shared_cache(sitemaps.stories), name="sitemap-stories"),
    path("sitemap-places.xml", shared_cache(sitemaps.places), name="sitemap-places"),
]
