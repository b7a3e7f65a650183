"""SQL written out for reader pages, and model instances from its rows as the ORM would
make them.

For the queries on the hot path of reader pages (an article with its stored page, its
sidebar, the home page's front, the bylines and tags of articles listed), where the ORM
took longer to build the SQL than the database took to run it: about a millisecond of each
page of the archive's long tail.
On PostgreSQL, these statements are also prepared on each connection (``cursor()``), as
are the day index's (articles.dayindex), which the home page and date archives run.

Also deletions written out (``delete()``), where the ORM would read every row it deletes,
and PostgreSQL's times parsed in C (``TimestamptzLoader``) for every query.
"""

from contextlib import contextmanager
from functools import cache

import psycopg
from django.conf import settings
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models.base import ModelState
from django.db.models.signals import post_init
from django.dispatch import receiver

# Values per statement, well under every database's limit of query parameters.
BATCH = 500


def delete(model, field, values, using="default"):
    """Delete the rows of ``model`` whose ``field`` is one of ``values``, BATCH at a time,
    without a signal per row: QuerySet.delete() reads every row it deletes to send one, as
    soon as any receiver listens to the model (the page cache listens to every model)."""
    connection = connections[using]
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        for start in range(0, len(values), BATCH):
            batch = values[start : start + BATCH]
            marks = ", ".join(["%s"] * len(batch))
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", batch)


def loaded(model, deferred=()):
    """``model``'s fields read, all its columns but the ``deferred`` ones, in its order."""
    return [field for field in model._meta.concrete_fields if field.name not in deferred]


def columns(model, alias, deferred=()):
    """The SQL list of the columns read of ``model`` in ``alias``, as ``instance()`` takes them."""
    quote = connections["default"].ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in loaded(model, deferred))


def exists(model, field, article):
    """SQL: whether a row of ``model`` points through ``field`` at the article of the table or
    alias ``article`` (quoted): an article page's flags (``ARTICLE_PAGE_FLAGS``)."""
    quote = connections["default"].ops.quote_name
    column = quote(model._meta.get_field(field).column)
    article_id = f"{article}.{quote(model._meta.get_field(field).target_field.column)}"
    return f"EXISTS (SELECT 1 FROM {quote(model._meta.db_table)} WHERE {column} = {article_id})"


def instance(model, values, using, deferred=()):
    """The ``model`` of a row's ``values`` (``columns()``) read from the database ``using``,
    its ``deferred`` fields left to read when asked for; None for the NULLs of a LEFT JOIN that
    found nothing."""
    pk_index, names, converters = reading(using, model, tuple(deferred))
    if values[pk_index] is None:
        return None
    if converters:
        connection = connections[using]
        values = list(values)
        for index, column, convert in converters:
            values[index] = convert(values[index], column, connection)
    # The instance Model.from_db() makes, its values written straight into it: from_db()'s
    # setattr() of each field, where no field's descriptor does more than store a value read
    # from the database, cost as much as the rest (1.2 of 2.4 ms for the home page's 60 rows,
    # SQLite). Nothing in the project listens to pre_init; post_init's receivers (an image's
    # dimensions, the page's surrogate keys) are sent it as from_db() would.
    obj = model.__new__(model)
    obj._state = ModelState()
    obj._state.adding, obj._state.db = False, using
    obj.__dict__.update(zip(names, values, strict=True))
    post_init.send(sender=model, instance=obj)
    return obj


def split(row, using, *parts):
    """The instances of ``parts`` (pairs of a model and its deferred fields) from one ``row``
    holding their ``columns()`` side by side, then the rest of the row."""
    found = []
    start = 0
    for model, deferred in parts:
        width = len(reading(using, model, tuple(deferred))[1])
        found.append(instance(model, row[start : start + width], using, deferred))
        start += width
    return found, row[start:]


@cache
def reading(using, model, deferred):
    """Where the primary key is among the columns read, their field names, and what turns a
    column's database value into its field's, where anything does (times on SQLite, JSON).
    Converters depend on the engine and the settings, not on the thread's connection."""
    connection = connections[using]
    fields = loaded(model, deferred)
    converters = []
    for index, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        for convert in column_converters(connection, column):
            converters.append((index, column, convert))
    return fields.index(model._meta.pk), [field.attname for field in fields], tuple(converters)


def column_converters(connection, column):
    """What turns ``column``'s database values into its field's on ``connection``, in the
    order the ORM applies them: the engine's, then the field's own."""
    return connection.ops.get_db_converters(column) + column.get_db_converters(connection)


@contextmanager
def cursor(using, prepare=True):
    """A cursor for the hot path's statements. On PostgreSQL, it binds their parameters on the
    server and has the server prepare each statement at its first run on the connection, so
    that a worker's connection parses and plans it once, not on every page: the article
    page's own statement ran in 0.23 ms instead of 0.54, its sidebar's in 0.87 instead of
    1.12 (100,000 articles). Only these few statements: the connection's own cursor binds on
    the client, as Django's ORM expects (a statement bound on the server takes at most 65,535
    parameters, which bulk_create() does not count). ``prepare=None`` prepares a statement once it
    ran ``prepare_threshold`` times on the connection instead (psycopg's own rule), for a
    statement whose text varies, so that a text run once costs no preparation.

    A prepared statement runs with one plan for any parameters (settings: plan_cache_mode):
    prepare a statement here only once its generic plan is as good for every value (EXPLAIN
    EXECUTE of it on a large archive). The most covered tags and the ongoing stories failed
    that test, on their time parameter."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings.DATABASE_PREPARED_STATEMENTS:
        with connection.cursor() as plain:
            yield plain
        return
    # As Django's own cursor() does: a connection that died since the last request (a
    # restart, a failover) is replaced here, not found dead by this statement.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_thread_sharing()
    with connection.wrap_database_errors:
        preparing = PreparingCursor(connection.connection)
    preparing.prepare = prepare
    wrap = LoggedPreparingCursor if connection.queries_logged else CursorWrapper
    with wrap(preparing, connection) as wrapped:
        yield wrapped


class TimestamptzLoader(psycopg.adapt.Loader):
    """Reads a PostgreSQL ``timestamptz`` as Django's own loader does, in the time zone of
    the connection's wrapper (``timezone``), but parsed by psycopg's C loader where it is
    installed: Django's loader parses in Python, 5 µs a value against 2, and the home page
    reads 120 of them."""

    timezone = None  # Django compares it before each cursor, to set its own loader if it differs

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self.parse = psycopg.postgres.adapters.get_loader(oid, psycopg.pq.Format.TEXT)(
            oid, context
        ).load

    def load(self, data):
        return self.parse(data).replace(tzinfo=self.timezone)


@cache
def timestamptz_loader(timezone):
    """TimestamptzLoader for ``timezone``: a class per zone, as Django makes its own."""
    attributes = {"timezone": timezone, "__module__": __name__}
    return type(TimestamptzLoader.__name__, (TimestamptzLoader,), attributes)


@receiver(connection_created, dispatch_uid="articles.rows.load_times_in_c")
def load_times_in_c(sender, connection, **kwargs):
    """Signal receiver: each new PostgreSQL connection reads its times with TimestamptzLoader."""
    if connection.vendor == "postgresql":
        loader = timestamptz_loader(connection.timezone)
        connection.connection.adapters.register_loader("timestamptz", loader)


class PreparingCursor(psycopg.Cursor):
    prepare = True

    def execute(self, query, params=None, *, prepare=None, binary=None):
        return super().execute(query, params, prepare=self.prepare, binary=binary)


class LoggedPreparingCursor(CursorDebugWrapper):
    """Logs the statement with its parameters in it, as Django's cursor bound on the client
    would (psycopg keeps no text of a prepared statement's run)."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return CursorWrapper.execute(self, sql, params)


def objects(model, sql, params, using, deferred=(), extra=()):
    """The ``model`` instances of the rows of ``sql``: ``columns()`` first, then the ``extra``
    columns, set on each instance under these names (as ``Manager.raw()`` would)."""
    with cursor(using) as reading:
        reading.execute(sql, params)
        found = reading.fetchall()
    result = []
    for row in found:
        (obj,), rest = split(row, using, (model, deferred))
        for name, value in zip(extra, rest, strict=True):
            setattr(obj, name, value)
        result.append(obj)
    return result


def prefetch(instances, parts, sql, params=()):
    """Give each of ``instances`` the instances of the rows of ``sql`` that are its own, as
    plain lists in the rows' order: ``parts`` pairs each list's attribute with its model,
    e.g. ``[("prefetched_tags", Tag)]``; returns ``instances``.

    ``sql`` reads ``columns()`` of each part's model side by side (a row holds one part's, the
    others' NULL), then the id of the instance a row is for (any further columns are only
    read), of the instances whose ids it lists where it says ``{ids}`` (each time), after all
    its ``params``. Two instances of one row (a page may list an article twice) each get the
    list. For a page's instances: prepared on PostgreSQL, a statement takes at most 65,535
    parameters.
    """
    found = {}
    for instance in instances:
        for to_attr, _ in parts:
            setattr(instance, to_attr, [])
        found.setdefault(instance.pk, []).append(instance)
    if not found:
        return instances
    params = [*params, *list(found) * sql.count("{ids}")]
    sql = sql.format(ids=", ".join(["%s"] * len(found)))
    using = parts[0][1].objects.db
    with cursor(using) as reading:
        reading.execute(sql, params)
        found_rows = reading.fetchall()
    for row in found_rows:
        read, (owner, *_) = split(row, using, *((model, ()) for _, model in parts))
        for (to_attr, _), obj in zip(parts, read, strict=True):
            if obj is not None:
                for instance in found[owner]:
                    getattr(instance, to_attr).append(obj)
    return instances
