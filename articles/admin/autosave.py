"""Autosave: the form's text kept as a revision every so often, without saving the article.

The article itself is left alone, so its lock counter does not move (another editor's open
form stays valid) and readers never see half-written text; the history shows the revision,
and restoring it brings the text back.
"""

from copy import copy
from datetime import timedelta

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms import modelform_factory
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext

from articles.html import sanitize
from articles.models import Article

AUTOSAVED_FIELDS = ["title", "dateline", "standfirst", "body"]
AutosaveForm = modelform_factory(Article, fields=AUTOSAVED_FIELDS)


def autosave_reason():
    return gettext("Autosave")


class AutosaveMixin:
    """The autosave endpoint of the article admin, and its address on the change form."""

    autosave_seconds = 30

    def get_urls(self):
        autosave = self.admin_site.admin_view(self.autosave_view)
        return [
            path("<path:object_id>/autosave/", autosave, name="articles_article_autosave"),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            context["autosave_url"] = reverse("admin:articles_article_autosave", args=[obj.pk])
            context["autosave_seconds"] = self.autosave_seconds
        return super().render_change_form(request, context, add, change, form_url, obj)

    def autosave_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        with transaction.atomic():
            article = self.get_object(request, unquote(object_id))
            if article is None:
                raise Http404
            if not self.has_change_permission(request, article):
                raise PermissionDenied
            if self.autosaved_lately(article, request.user):
                return JsonResponse({"saved": False}, status=429)
            # Valid fields take the posted text; a field in error keeps the saved one.
            form = AutosaveForm(request.POST, instance=copy(article))
            form.is_valid()
            draft = form.instance
            draft.body = sanitize(draft.body)
            Article.history.bulk_history_create(
                [draft],
                update=True,
                default_user=request.user,
                default_change_reason=autosave_reason(),
            )
        now = timezone.localtime()
        message = gettext("Draft autosaved at %(time)s.") % {"time": time_format(now, "H:i")}
        return JsonResponse({"saved": True, "message": message})

    def autosaved_lately(self, article, user):
        """Whether ``user`` autosaved ``article`` within the interval: at most one each time."""
        since = timezone.now() - timedelta(seconds=self.autosave_seconds)
        return article.history.filter(
            history_user=user, history_change_reason=autosave_reason(), history_date__gt=since
        ).exists()
