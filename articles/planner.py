"""Fresh planner statistics after migrations, so the indexed reader queries keep their plans."""

from django.db import connections


def refresh_statistics(using, plan=None, **kwargs):
    """post_migrate: ANALYZE the database when migrations were applied.

    A migration that rebuilds a table (SQLite does for most column changes) drops its
    statistics; without them SQLite picks the wrong index for the related-articles sidebar,
    whose queries then take tens of milliseconds instead of well under one. PostgreSQL's
    autovacuum would catch up only later.
    """
    if plan:
        with connections[using].cursor() as cursor:
            cursor.execute("ANALYZE")
