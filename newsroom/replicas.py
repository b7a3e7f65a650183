"""Read replicas: shared reader pages read a streaming replica (DATABASE_REPLICA_URL), and
everything else (the admin, sign-in, sessions, previews, commands) the primary.

A replica that has not yet replayed a committed save would rebuild a page as it was before
the save, and the page caches would keep that stale page for its whole max-age. So every
committed write records the primary's WAL position in the shared cache, and a page reads the
replica only if the replica has replayed that far; otherwise, and when the replica does not
answer, the primary builds it. The position is recorded before any cache generation is
renewed or any proxy purged (those run on commit too, registered later): a page stored under
the new generation, or refetched after the purge, never comes from a replica behind the save.
"""

import logging
from contextvars import ContextVar

from django.core.cache import cache
from django.db import DatabaseError, connections, transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)
from django.dispatch import receiver

from articles.cache import is_anonymous
from articles.preview import QUERY_PARAMETER

logger = logging.getLogger(__name__)

REPLICA = "replica"
WAL_KEY = "replicas:primary-wal-position"
# In place of a position while a write outside a transaction is committing: read the primary.
PRIMARY = "primary"
# Writes that reader pages never show; they need not wait for the replica.
UNSHOWN_APPS = {"sessions", "axes", "admin", "contenttypes"}

# True while a shared reader page may read the replica.
reading_replica = ContextVar("replicas.reading_replica", default=False)


class ReplicaRouter:
    """Reads go to the replica while a reader page allows it; writes always to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if reading_replica.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary's WAL


def primary_position():
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def record_position():
    """On commit: readers must now see at least this much of the primary's WAL."""
    try:
        cache.set(WAL_KEY, primary_position(), None)
    except DatabaseError:
        # Without a position the next pages read the primary (replica_is_current says so).
        cache.delete(WAL_KEY)
        logger.exception("Could not read the primary's WAL position")


def watched(sender):
    return REPLICA in connections.settings and sender._meta.app_label not in UNSHOWN_APPS


@receiver([pre_save, pre_delete, m2m_changed], dispatch_uid="newsroom.replicas.before_write")
def before_write(sender, action="pre_", **kwargs):
    """Before the writes' own on-commit work (cache generation, purges) is registered."""
    if not watched(sender) or not action.startswith("pre_"):
        return
    if connections["default"].in_atomic_block:
        transaction.on_commit(record_position)
    else:
        # Autocommit: the write commits on its own, right after this. Until its position is
        # recorded (after_write), pages read the primary.
        cache.set(WAL_KEY, PRIMARY, None)


@receiver([post_save, post_delete, m2m_changed], dispatch_uid="newsroom.replicas.after_write")
def after_write(sender, action="post_", **kwargs):
    in_transaction = connections["default"].in_atomic_block
    if watched(sender) and action.startswith("post_") and not in_transaction:
        record_position()


def replica_is_current():
    """True if the replica has replayed every write recorded as committed."""
    position = cache.get(WAL_KEY)
    try:
        if position == PRIMARY:
            return False
        if position is None:
            # Forgotten (a cache restart or outage): take the primary's position now.
            position = primary_position()
            cache.set(WAL_KEY, position, None)
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
            return bool(cursor.fetchone()[0])
    except DatabaseError:
        logger.warning("The replica did not answer; reading the primary", exc_info=True)
        return False


class ReplicaMiddleware:
    """Let a shared reader page, asked by an anonymous reader, read a replica that is current."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = reading_replica.set(False)
        try:
            return self.get_response(request)
        finally:
            reading_replica.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            hasattr(view_func, "page_parameter")  # articles.cache.shared_cache
            and is_anonymous(request)
            and QUERY_PARAMETER not in request.GET  # a preview: the primary's latest draft
            and replica_is_current()
        ):
            reading_replica.set(True)
