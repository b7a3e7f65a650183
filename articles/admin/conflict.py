"""A save refused because someone else saved first: who, when, and both sides' changes.

The form carries the time of the revision it was loaded from (``edited_at``): their changes
run from it to the latest save, the editor's from it to what they posted, side by side, so
that the editor can merge by hand. Autosaves are not saves: they never refuse a form.
"""

from datetime import datetime
from typing import NamedTuple

from django.utils.text import capfirst

from articles.admin.autosave import autosave_reason
from articles.diff import diff_html, diff_text, has_changes
from articles.html import sanitize
from articles.models import Article

COMPARED_FIELDS = ["title", "dateline", "standfirst", "body"]


class Row(NamedTuple):
    label: str
    theirs: str  # safe HTML from articles.diff
    yours: str


def is_stale(form):
    return any(error.code == "stale" for error in form.non_field_errors().as_data())


def loaded_revision(saves, edited_at):
    """The revision the form was loaded from, found by its save time; None if unknown."""
    try:
        when = datetime.fromisoformat(edited_at or "")
    except ValueError:
        return None
    return saves.filter(updated_at=when).first()


def conflict(form, article):
    """Who saved first and when, and each side's changes, field by field."""
    saves = article.history.exclude(history_change_reason=autosave_reason())
    latest = saves.select_related("history_user").first()
    if latest is None:
        return None
    start = loaded_revision(saves, form.data.get(form.add_prefix("edited_at"))) or latest
    rows = []
    for name in COMPARED_FIELDS:
        diff = diff_html if name == "body" else diff_text
        before, theirs = getattr(start, name), getattr(latest, name)
        yours = form.data.get(form.add_prefix(name), "")
        if name == "body":
            yours = sanitize(yours)
        if has_changes(before, theirs) or has_changes(before, yours):
            label = capfirst(Article._meta.get_field(name).verbose_name)
            rows.append(Row(label, diff(before, theirs), diff(before, yours)))
    return {
        "by": latest.history_user,
        "at": latest.history_date,
        "rows": rows,
        "known_start": start != latest,
    }


class ConflictMixin:
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        if obj is not None and form.is_bound and is_stale(form):
            context["conflict"] = conflict(form, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)
