"""Live coverage's share of the archive that export_archive writes and import_archive restores."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from articles.management.backup import Part, stored_names
from live.models import LiveCoverage, LiveUpdate


def datasets():
    history = LiveUpdate.history.model
    return [
        (LiveCoverage, LiveCoverage.objects.all()),
        (LiveUpdate, LiveUpdate.objects.all()),
        (history, history.objects.select_related("history_user", "created_by")),
    ]


def media_names():
    for model in (LiveUpdate, LiveUpdate.history.model):
        yield from stored_names(model, ["image"], "image_renditions")


def account_names():
    """Who posted updates and who saved their revisions."""
    history = LiveUpdate.history.model
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=LiveUpdate.objects.values("created_by"))
            | Q(pk__in=history.objects.values("history_user"))
            | Q(pk__in=history.objects.values("created_by"))
        )
        .values_list(get_user_model().USERNAME_FIELD, flat=True)
    )


PART = Part(datasets, media_names, account_names)
