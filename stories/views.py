from itertools import groupby

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView

from stories.models import TEASER_FIELDS, Place, Story


class StoryListView(ListView):
    """Stories readers can follow, ongoing ones first."""

    paginate_by = 30
    context_object_name = "stories"

    def get_queryset(self):
        return Story.objects.with_published_pieces().ongoing_first()


class TimelineView(DetailView):
    """An object's timeline (``object.timeline()``), grouped by Paris day, paged by key.

    Pages continue by key: ``before/<article>/`` (or ``after/<article>/`` oldest first) starts
    past that article, so the thousandth page costs what the first one does.
    """

    oldest_first = False
    page_size = 20
    continuations = {False: "", True: ""}  # URL names of the next page, by oldest_first

    def get_context_data(self, **kwargs):
        owner = self.object
        after = None
        if "article" in self.kwargs:
            after = (
                owner.timeline()
                .filter(pk=self.kwargs["article"])
                .values_list("piece_at", "piece_article")
                .first()
            )
            if after is None:
                raise Http404("No such article here")
        pieces = list(
            owner.timeline(self.oldest_first, after).only(*TEASER_FIELDS)[: self.page_size + 1]
        )
        if not pieces:
            # A timeline with nothing published yet would show unpublished work's existence.
            raise Http404("Nothing published here")
        pieces, more = pieces[: self.page_size], len(pieces) > self.page_size
        continuation = self.continuations[self.oldest_first]
        return super().get_context_data(
            pieces=pieces,
            days=by_day(pieces),
            is_first_page=after is None,
            next_url=more and reverse(continuation, args=[owner.slug, pieces[-1].pk]),
            **kwargs,
        )


def by_day(pieces):
    """The pieces grouped by their Paris day, each given its ``url`` and ``local_time`` once.

    The timeline shows a piece's time twice and the JSON-LD lists its address again: each is
    worked out once per piece, not once per use.
    """
    for piece in pieces:
        piece.url = piece.get_absolute_url()
        piece.local_time = timezone.localtime(piece.published_at)
    return [
        (day, list(group))
        for day, group in groupby(pieces, key=lambda piece: timezone.localdate(piece.piece_at))
    ]


class StoryTimelineView(TimelineView):
    """A story's summary, its key pieces and its timeline, newest or oldest first."""

    model = Story
    continuations = {False: "stories:detail-before", True: "stories:detail-after"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["key_pieces"] = list(self.object.key_pieces()) if context["is_first_page"] else []
        return context


class PlaceTimelineView(TimelineView):
    """The coverage written from or about a place, newest first."""

    model = Place
    continuations = {False: "stories:place-before"}
