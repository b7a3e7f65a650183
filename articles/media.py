"""Stored files that nothing refers to any more, found and deleted through the storage API.

A replaced hero image keeps its files while a revision refers to them, so that restoring the
revision brings the picture back. What no article, revision or other app's row refers to (an
image replaced by ``render_hero_images``, renditions of a save that failed, revisions pruned)
is garbage, and goes, on a file system or in object storage alike.
"""

import posixpath
from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

from articles.management.backup import media_names
from articles.share_card import site_card_names

# Files are stored before the row that names them is committed: a younger file may belong to
# a save still under way.
GRACE = timedelta(hours=1)


def stored_files(storage, folder=""):
    """Every stored name under ``folder``, depth first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(folder, name)
    for name in folders:
        yield from stored_files(storage, posixpath.join(folder, name))


def unreferenced(storage=default_storage, names=None, grace=GRACE):
    """The stored files (of ``names``, or all) that no row refers to, older than ``grace``,
    but the site's own card, which pages link: also the copies stored under names of their
    own by workers that drew it at the same moment, each of which links its copy."""
    referenced = set(media_names())
    site_cards = tuple(posixpath.splitext(name)[0] for name in site_card_names())
    cutoff = timezone.now() - grace
    for name in stored_files(storage) if names is None else names:
        if name in referenced or name.startswith(site_cards):
            continue
        try:
            if storage.get_modified_time(name) > cutoff:
                continue
        except FileNotFoundError:
            continue
        yield name


def delete_unreferenced(storage=default_storage, names=None, grace=GRACE):
    """Delete what ``unreferenced`` finds; the deleted names."""
    deleted = list(unreferenced(storage, names, grace))
    for name in deleted:
        storage.delete(name)
    return deleted


def names_of(original, renditions):
    """The stored names of an image and of its renditions."""
    return [original, *(rendition[kind] for rendition in renditions for kind in ("jpeg", "webp"))]
