"""What changed between two revisions of an article, as an editor reads it.

Texts are compared word by word (articles.diff), statuses named in French, times given in
Paris time; the bookkeeping fields a save updates by itself are left out.
"""

from typing import NamedTuple

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst

from articles.diff import diff_html, diff_text
from articles.models import Article

# Updated by every save, or derived from another field: never what an editor changed.
NOT_SHOWN = [
    "updated_at",
    "created_at",
    "hero_width",
    "hero_height",
    "hero_renditions",
    "share_card",
]
HTML_FIELDS = {"body"}
FIELD_ORDER = [field.name for field in Article._meta.concrete_fields]


class Change(NamedTuple):
    label: str
    html: str  # safe: built by articles.diff or format_html


def shown(model_field, value):
    """A field's value as a person reads it: a choice's name, a Paris time, a file's name."""
    if value in (None, ""):
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateTimeField):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    return str(value)


def field_change(name, old, new):
    """How one field went from ``old`` to ``new``."""
    model_field = Article._meta.get_field(name)
    label = capfirst(model_field.verbose_name)
    if name in HTML_FIELDS:
        return Change(label, diff_html(old or "", new or ""))
    if isinstance(model_field, (models.CharField, models.TextField)) and not model_field.choices:
        return Change(label, diff_text(old, new))
    return Change(label, format_html("{} → {}", shown(model_field, old), shown(model_field, new)))


def changes(old, new):
    """The changes from revision ``old`` to revision ``new`` (historical records), in form order."""
    if old is None:
        return []
    excluded = NOT_SHOWN
    if not new.significant:
        # Outside a save marked significant, "Updated on" moved with a correction added or
        # deleted since the revision before, by whoever did it: not this revision's author.
        excluded = [*NOT_SHOWN, "revised_at"]
    delta = new.diff_against(old, excluded_fields=excluded)
    by_name = {change.field: change for change in delta.changes}
    return [
        field_change(name, by_name[name].old, by_name[name].new)
        for name in FIELD_ORDER
        if name in by_name
    ]


def with_changes(records, older):
    """Give each record (newest first) its ``changes`` since the one before it.

    ``older`` is the revision just before the last of ``records``, or None: no query here.
    """
    records = list(records)
    for record, previous in zip(records, [*records[1:], older], strict=True):
        record.changes = changes(previous, record)
        record.is_first = previous is None
    return records
