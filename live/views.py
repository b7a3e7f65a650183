"""Readers' side of live coverage: the poll, earlier updates, and each update's permanent link."""

import re

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from live import polling
from live.models import PAGE_SIZE, LiveCoverage, LiveUpdate

# A change number as the page writes it: digits, at most nine (no coverage changes that often).
NUMBER = re.compile(r"0|[1-9][0-9]{0,8}", re.ASCII)


@require_safe
def poll(request, pk):
    """``/live/<id>/updates.json?after=N``: the changes readers lack, cheap to ask for often.

    See live.polling for why this reads only the cache; a repeated question gets a 304.
    """
    after = request.GET.get("after", "")
    if not NUMBER.fullmatch(after):
        return JsonResponse(
            {"error": _("Give the last change number you have: ?after=N.")}, status=400
        )
    state = polling.state(pk)
    if state is None or not state.is_visible:
        raise Http404
    after = int(after)
    etag = polling.etag(state, after)
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(polling.answer(pk, state, after), content_type="application/json")
    response.headers["ETag"] = etag
    patch_cache_control(response, public=True, max_age=polling.MAX_AGE)
    return response


class EarlierUpdatesView(ListView):
    """``/live/<id>/from/<update>/``: an update and the earlier ones, a page's worth.

    Pages continue by key, so the hundredth page costs what the first costs; readers without
    JavaScript and crawlers follow "Earlier updates" from page to page.
    """

    template_name = "live/earlier_updates.html"
    context_object_name = "updates"

    def get_queryset(self):
        self.coverage = get_object_or_404(
            LiveCoverage.objects.published().select_related("article"), pk=self.kwargs["pk"]
        )
        rows = list(
            self.coverage.visible_updates().filter(pk__lte=self.kwargs["update"])[: PAGE_SIZE + 1]
        )
        if not rows or rows[0].pk != self.kwargs["update"]:
            raise Http404(_("No update here."))
        self.next_page = rows[PAGE_SIZE] if len(rows) > PAGE_SIZE else None
        return rows[:PAGE_SIZE]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            coverage=self.coverage,
            article=self.coverage.article,
            next_url=self.next_page and self.coverage.earlier_url(self.next_page),
            **kwargs,
        )


@require_safe
def update_link(request, pk):
    """``/live/updates/<id>/``: an update's permanent link, to the page that holds it now.

    A recent update is on the live article's page; an older one on the page of earlier updates
    that starts with it. The fragment scrolls the page to it. Temporary: the page moves.
    """
    update = get_object_or_404(
        LiveUpdate.objects.visible()
        .filter(coverage__in=LiveCoverage.objects.published())
        .select_related("coverage__article"),
        pk=pk,
    )
    coverage = update.coverage
    newer = coverage.updates.visible().filter(pk__gt=update.pk)[:PAGE_SIZE].count()
    if newer < PAGE_SIZE:
        target = coverage.article.get_absolute_url()
    else:
        target = coverage.earlier_url(update)
    response = redirect(f"{target}#{update.anchor}")
    patch_cache_control(response, public=True, max_age=polling.MAX_AGE)
    return response
