"""An article's revisions: listed with their changes, compared, and restored without
touching publication."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from articles.admin.changes import changes, with_changes
from articles.models import Article

# What restoring a revision leaves as it is now (see HistoryMixin.get_form).
KEPT_ON_RESTORE = ["status", "published_at", "revised_at"]


class HistoryMixin:
    """Compare and restore for a SimpleHistoryAdmin of articles."""

    compare_template = "admin/articles/article/compare.html"
    object_history_list_template = "admin/articles/article/object_history_list.html"
    history_list_per_page = 50

    def get_urls(self):
        compare = self.admin_site.admin_view(self.compare_view)
        return [
            path("<path:object_id>/history/compare/", compare, name="articles_article_compare"),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and hasattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME):
            # simple-history's restore form starts from the whole revision. It brings back the
            # text, image and metadata; the status, the times and the "updated" mark stay as
            # they are now (an old status would unpublish a live article) unless the editor
            # changes them in the form. Corrections are rows of their own and stay too.
            current = Article.objects.filter(pk=obj.pk).values(*KEPT_ON_RESTORE).first()
            vars(obj).update(current or {})
        return super().get_form(request, obj, **kwargs)

    def set_history_delta_changes(self, request, historical_records, **kwargs):
        """Each revision on the page with what it changed, word by word (see changes.py).

        The revision just before the page's last is the one more query this needs.
        """
        records = list(historical_records)
        older = None
        if records:
            last = records[-1]
            older = (
                type(last)
                .objects.filter(id=last.id, history_date__lte=last.history_date)
                .exclude(pk=last.pk)
                .order_by("-history_date", "-pk")
                .first()
            )
        with_changes(records, older)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring a revision is a change: viewing an article's history must not be enough.
        with transaction.atomic():
            if request.method == "POST":
                obj = self.get_object(request, object_id)
                if obj is None or not self.has_change_permission(request, obj):
                    raise PermissionDenied
            return super().history_form_view(request, object_id, version_id, extra_context)

    def compare_view(self, request, object_id):
        """Two revisions of an article side by side, field by field."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        records = obj.history.select_related("history_user")
        latest = list(records[:2])
        if not latest:
            raise Http404

        def chosen(name, default):
            value = request.GET.get(name, "")
            return (value.isdigit() and records.filter(pk=value).first()) or default

        # Without a choice (or with a bad one), the last change: the two latest revisions.
        old, new = chosen("old", latest[-1]), chosen("new", latest[0])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare revisions: %s") % obj,
            "opts": self.opts,
            "original": obj,
            "old": old,
            "new": new,
            "records": records,
            "changes": changes(old, new) if old != new else [],
        }
        return TemplateResponse(request, self.compare_template, context)
