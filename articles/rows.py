"""SQL written out for reader pages, and model instances from its rows as the ORM would
make them.

For the queries on the hot path of reader pages (an article with its stored page, its
sidebar, the home page's front), where the ORM took longer to build the SQL than the
database took to run it: about a millisecond of each page of the archive's long tail.
"""

from functools import cache

from django.db import connections


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
    connection = connections[using]
    values = list(values)
    for index, column, convert in converters:
        values[index] = convert(values[index], column, connection)
    return model.from_db(using, names, values)


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
        for convert in connection.ops.get_db_converters(column) + column.get_db_converters(
            connection
        ):
            converters.append((index, column, convert))
    return fields.index(model._meta.pk), [field.attname for field in fields], tuple(converters)
