from itertools import groupby

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, ListView

from stories.models import Story


class StoryListView(ListView):
    """Stories readers can follow, ongoing ones first."""

    paginate_by = 30
    context_object_name = "stories"

    def get_queryset(self):
        return Story.objects.with_published_pieces().ongoing_first()


class StoryTimelineView(DetailView):
    """A story's timeline, grouped by Paris day, newest or oldest first.

    Pages continue by key: ``before/<article>/`` (or ``after/<article>/`` oldest first) starts
    past that article of the story, so the thousandth page costs what the first one does.
    """

    model = Story
    oldest_first = False
    page_size = 20

    def get_context_data(self, **kwargs):
        story = self.object
        after = None
        if "article" in self.kwargs:
            after = (
                story.timeline()
                .filter(pk=self.kwargs["article"])
                .values_list("piece_at", "piece_article")
                .first()
            )
            if after is None:
                raise Http404("No such piece in this story")
        pieces = list(story.timeline(self.oldest_first, after)[: self.page_size + 1])
        if not pieces:
            # A story with nothing published yet would show unpublished work's existence.
            raise Http404("No published piece in this story")
        pieces, more = pieces[: self.page_size], len(pieces) > self.page_size
        continuation = "stories:detail-after" if self.oldest_first else "stories:detail-before"
        return super().get_context_data(
            pieces=pieces,
            days=[
                (day, list(group))
                for day, group in groupby(pieces, key=lambda a: timezone.localdate(a.piece_at))
            ],
            key_pieces=list(story.key_pieces()) if after is None else [],
            is_first_page=after is None,
            next_url=more and reverse(continuation, args=[story.slug, pieces[-1].pk]),
            **kwargs,
        )
