"""The archive that export_archive writes and import_archive restores: nothing editors made is lost.

One zip file holds ``manifest.json`` (format, version, counts, and the size and SHA-256 of every
other member), one JSON Lines file per model under ``data/`` (Django's serialiser; accounts,
tags and content types by natural key, as their primary keys differ between databases) and
every image file an article or a revision refers to under ``media/``. Rows are streamed in
batches both ways, so memory does not grow with the archive. Apps built on articles (stories)
add their own rows and files through ``PARTS``.
"""

import datetime
import hashlib
import io
import json
import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch, Q
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import dayindex, listings, search
from articles.cache import bump_generation
from articles.management.database import reset_sequences
from articles.models import Article, Author, Correction, FormerSlug

FORMAT = "newsroom-archive"
VERSION = 1
MANIFEST = "manifest.json"
BATCH_SIZE = 1000
# The apps whose schema the data follows, besides those of the archived models: an archive
# goes only into a database migrated as far.
SCHEMA_APPS = ("articles", "taggit", "auth", "contenttypes")
# Derived data, rebuilt after a restore rather than carried.
NOT_ARCHIVED = {"search_vector"}


class ArchiveError(Exception):
    """The file is no readable archive of this format, or the database cannot take it."""


class Part(NamedTuple):
    """Another app's share of the archive."""

    # Its (model, rows to write), in an order in which they load after the articles' rows.
    datasets: Callable[[], list]
    # The stored files its rows refer to.
    media_names: Callable[[], Iterable[str]]
    # The user names of the accounts its rows name (who posted, who saved a revision).
    account_names: Callable[[], Iterable[str]] = tuple


# Other apps' shares (stories adds its stories and places), filled by those apps'
# AppConfig.ready(): articles does not know them. An archive written without one still loads.
PARTS = []


def datasets():
    """What the archive holds, in an order in which it loads: (model, rows to write)."""
    history = Article.history.model
    articles = [
        (Author, Author.objects.all()),
        (Tag, Tag.objects.all()),
        (
            Article,
            Article.objects.select_related("created_by").prefetch_related(
                "authors", Prefetch("pinned_related", Article.objects.only("pk"))
            ),
        ),
        (
            TaggedItem,
            TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(Article)
            ).select_related("tag", "content_type"),
        ),
        (Correction, Correction.objects.all()),
        (FormerSlug, FormerSlug.objects.all()),
        (history, history.objects.select_related("history_user", "created_by")),
    ]
    return articles + [dataset for part in PARTS for dataset in part.datasets()]


def media_names():
    """Every stored file an archived row refers to: an article's, a revision's, a part's."""
    names = set()
    for model in (Article, Article.history.model):
        names.update(stored_names(model, ["hero_image", "share_card"], "hero_renditions"))
        # A sensitive image's blurred stand-in: one rendition, not a list.
        for blurred in model._base_manager.values_list("hero_blurred", flat=True).iterator():
            names.update((blurred["jpeg"], blurred["webp"]) if blurred else ())
    for part in PARTS:
        names.update(part.media_names())
    names.discard("")
    names.discard(None)
    return sorted(names)


def stored_names(model, file_fields, renditions_field):
    """The names in the ``file_fields`` of every row of ``model``, and of their renditions."""
    rows = model._base_manager.values_list(*file_fields, renditions_field)
    for *files, renditions in rows.iterator(BATCH_SIZE):
        yield from files
        for rendition in renditions or ():
            yield from (rendition["jpeg"], rendition["webp"])


def account_names():
    """The user names of the accounts that created articles, saved revisions, or that parts name."""
    history = Article.history.model
    names = set(
        get_user_model()
        .objects.filter(
            Q(pk__in=Article.objects.values("created_by"))
            | Q(pk__in=history.objects.values("history_user"))
            | Q(pk__in=history.objects.values("created_by"))
        )
        .values_list(get_user_model().USERNAME_FIELD, flat=True)
    )
    for part in PARTS:
        names.update(part.account_names())
    return sorted(names)


def applied_migrations():
    apps = {*SCHEMA_APPS, *(model._meta.app_label for model, _ in datasets())}
    return sorted(
        f"{app}.{name}"
        for app, name in MigrationRecorder(connection).applied_migrations()
        if app in apps
    )


class Encoder(DjangoJSONEncoder):
    """Django's JSON encoder, except that times keep their microseconds, not milliseconds."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def batches(iterable, size=BATCH_SIZE):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class Member:
    """A member being written into the zip file, measured and hashed on the way."""

    def __init__(self, archive, name, compress_type):
        info = zipfile.ZipInfo(name, time.localtime()[:6])
        info.compress_type = compress_type
        self.name, self.size, self.hash = name, 0, hashlib.sha256()
        self.file = archive.open(info, "w", force_zip64=True)

    def write(self, data):
        self.hash.update(data)
        self.size += len(data)
        self.file.write(data)

    def close(self, **details):
        self.file.close()
        return {"name": self.name, "size": self.size, "sha256": self.hash.hexdigest(), **details}


def export_archive(path, storage=default_storage):
    """Write everything to a zip file at ``path``; return its manifest.

    The file appears only once complete, and holds one consistent state of the database.
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    own_transaction = not connection.in_atomic_block
    try:
        with transaction.atomic(), zipfile.ZipFile(temporary, "w") as archive:
            if connection.vendor == "postgresql" and own_transaction:
                # Every table read from the same snapshot, whatever is saved meanwhile.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created": timezone.now().isoformat(),
                "migrations": applied_migrations(),
                "accounts": account_names(),
                "data": [write_rows(archive, model, rows) for model, rows in datasets()],
                "media": [],
                "missing_media": [],
            }
            for name in media_names():
                if storage.exists(name):
                    manifest["media"].append(write_file(archive, name, storage))
                else:
                    manifest["missing_media"].append(name)
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return manifest


def write_rows(archive, model, rows):
    label = model._meta.label_lower
    fields = [
        field.name
        for field in model._meta.get_fields()
        if field.concrete and not field.primary_key and field.name not in NOT_ARCHIVED
    ]
    member = Member(archive, f"data/{label}.jsonl", zipfile.ZIP_DEFLATED)
    count = 0
    for batch in batches(rows.order_by("pk").iterator(BATCH_SIZE)):
        text = serializers.serialize(
            "jsonl", batch, fields=fields, use_natural_foreign_keys=True, cls=Encoder
        )
        member.write(text.encode())
        count += len(batch)
    return member.close(model=label, count=count)


def write_file(archive, name, storage):
    # Images are compressed already.
    member = Member(archive, f"media/{name}", zipfile.ZIP_STORED)
    with storage.open(name) as file:
        for chunk in file.chunks():
            member.write(chunk)
    return member.close()


def open_archive(path):
    """The zip file at ``path`` and its manifest, every member checked against its checksum."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ArchiveError(f"There is no file at {path}.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(f"{path} is not a newsroom archive (not a zip file: {error}).") from None
    try:
        manifest = read_manifest(archive, path)
        for entry in manifest["data"] + manifest["media"]:
            check_member(archive, entry)
    except BaseException:
        archive.close()
        raise
    return archive, manifest


def read_manifest(archive, path):
    try:
        manifest = json.loads(archive.read(MANIFEST))
        if manifest["format"] != FORMAT:
            raise ValueError
        version = int(manifest["version"])
        # Every entry of the lists, at least, has the shape the reading below expects.
        for entry in manifest["data"] + manifest["media"]:
            str(entry["name"]), int(entry["size"]), str(entry["sha256"])
        for entry in manifest["data"]:
            str(entry["model"]), int(entry["count"])
        set(manifest["accounts"]), set(manifest["migrations"])
    except (KeyError, TypeError, ValueError, zipfile.BadZipFile):
        raise ArchiveError(f"{path} is not a newsroom archive (no valid {MANIFEST}).") from None
    if version > VERSION:
        raise ArchiveError(
            f"{path} is an archive of format version {version}; this code reads up to "
            f"version {VERSION}. Restore it with the newer code that wrote it."
        )
    return manifest


def check_member(archive, entry):
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(entry["name"]) as file:
            while chunk := file.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except (KeyError, zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(f"The archive is damaged: {entry['name']} ({error}).") from None
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise ArchiveError(f"The archive is damaged: {entry['name']} fails its checksum.")


def import_archive(path, storage=default_storage):
    """Restore the archive at ``path`` into this empty database; return its manifest."""
    archive, manifest = open_archive(path)
    with archive:
        missing = sorted(set(manifest["migrations"]) - set(applied_migrations()))
        if missing:
            raise ArchiveError(
                f"The database lacks migrations the archive was made with ({', '.join(missing)}): "
                "run manage.py migrate first, with code at least as recent as the archive's."
            )
        held = [model._meta.label_lower for model, _ in datasets() if model._base_manager.exists()]
        if held:
            raise ArchiveError(
                f"The database already holds rows ({', '.join(held)}): an archive is only "
                "restored into an empty database, so that nothing saved there is lost. "
                "Nothing was changed."
            )
        for entry in manifest["media"]:
            restore_file(archive, entry, storage)
        models = {model._meta.label_lower: model for model, _ in datasets()}
        try:
            with transaction.atomic():
                restore_accounts(manifest["accounts"])
                for entry in manifest["data"]:
                    with archive.open(entry["name"]) as raw:
                        rows = serializers.deserialize("jsonl", io.TextIOWrapper(raw, "utf-8"))
                        for batch in batches(rows):
                            restore_rows(models.get(entry["model"]), batch)
                reset_sequences(*(model for model, _ in datasets()))
                # Rows went in without save() or its signals: index them here. In the
                # transaction, as SQLite would otherwise commit each row of the index alone.
                search.rebuild(Article.objects.all())
                listings.rebuild()
                dayindex.rebuild()
        except (serializers.base.DeserializationError, DatabaseError) as error:
            raise ArchiveError(f"The archive's data could not be restored: {error}") from None
    bump_generation()
    return manifest


def restore_rows(model, rows):
    """Insert a batch of deserialised rows of ``model``, with their many-to-many links.

    In bulk, and without save(): times, lock counters and renditions stay as archived.
    """
    if model is None or any(type(row.object) is not model for row in rows):
        # Only what export_archive writes, never accounts or permissions, say.
        raise ArchiveError("The archive holds rows of a model it may not restore.")
    with times_as_archived(model):
        model._base_manager.bulk_create([row.object for row in rows])
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            continue  # tags: their own rows, archived as taggit.taggeditem
        source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
        through.objects.bulk_create(
            through(**{source: row.object.pk, target: pk})
            for row in rows
            for pk in row.m2m_data.get(field.name, ())
        )


@contextmanager
def times_as_archived(model):
    """Turn auto_now and auto_now_add off for a while: bulk_create would stamp the present."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    flags = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, flags, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def restore_accounts(names):
    """Accounts that revisions name, kept by user name; missing ones come back inactive.

    Passwords are not archived: an administrator reactivates an account and sets its password.
    """
    users = get_user_model()
    field = users.USERNAME_FIELD
    existing = set(users.objects.filter(**{f"{field}__in": names}).values_list(field, flat=True))
    for name in names:
        if name not in existing:
            users.objects.create_user(name, is_active=False)


def restore_file(archive, entry, storage):
    """Put an image back under its own name; an identical file already there is kept."""
    name = entry["name"].removeprefix("media/")
    try:
        exists = storage.exists(name)
    except SuspiciousFileOperation:
        raise ArchiveError(f"The archive names a file outside the media folder: {name}") from None
    if exists:
        with storage.open(name) as file:
            digest = hashlib.file_digest(file, "sha256").hexdigest()
        if digest != entry["sha256"]:
            raise ArchiveError(
                f"{name} already exists in the media folder with other content; move it away "
                "and run import_archive again. The database was not changed."
            )
        return
    with archive.open(entry["name"]) as file:
        saved = storage.save(name, File(file, name))
    if saved != name:
        raise ArchiveError(f"The media storage stored {name} as {saved}.")


def summary(verb, path, manifest):
    counts = ", ".join(f"{entry['count']} {entry['model']}" for entry in manifest["data"])
    return f"{verb} {path}: {counts}, {len(manifest['media'])} media files."
