"""Database chores shared by the commands that write rows with their own primary keys."""

from django.core.management.color import no_style
from django.db import connection


def reset_sequences(*models):
    """Rows were inserted with explicit keys: move PostgreSQL's sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
