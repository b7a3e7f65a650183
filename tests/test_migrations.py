"""Every migration of every app applies forwards and backwards, one step at a time."""

from django.contrib.auth.models import Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models.functions import Left
from django.test import TestCase, TransactionTestCase
from django.test.utils import CaptureQueriesContext

from articles.planner import refresh_statistics
from tests.factories import make_archive


def tables():
    """The project's tables; SQLite's own statistics table (made by ANALYZE) is not one."""
    names = set(connection.introspection.table_names()) - {"django_migrations"}
    return {name for name in names if not name.startswith("sqlite_")}


class MigrationWalkTests(TransactionTestCase):
    def migrate(self, target):
        # A fresh executor each time: it reads which migrations are applied when created.
        MigrationExecutor(connection).migrate([target])

    def test_every_migration_applies_forwards_and_backwards(self):
        graph = MigrationExecutor(connection).loader.graph
        all_tables = tables()
        # Every migration once, in an order that respects dependencies.
        plan = list(
            dict.fromkeys(node for leaf in graph.leaf_nodes() for node in graph.forwards_plan(leaf))
        )
        # The French permission names (set by post_migrate, not by a migration) outgrow the 50
        # characters that auth's 0002 restores on the way back; PostgreSQL enforces the limit.
        Permission.objects.update(name=Left("name", 50))

        for app in reversed(list(dict.fromkeys(app for app, _ in plan))):
            self.migrate((app, None))
        self.assertEqual(tables(), set())

        for node in plan:
            with self.subTest(forwards=node):
                self.migrate(node)
        self.assertEqual(tables(), all_tables)

        for app, name in reversed(plan):
            with self.subTest(backwards=(app, name)):
                parents = [node for node in graph.node_map[app, name].parents if node[0] == app]
                self.migrate(parents[0] if parents else (app, None))
        self.assertEqual(tables(), set())

        for leaf in graph.leaf_nodes():
            self.migrate(leaf)
        self.assertEqual(tables(), all_tables)


class PlannerStatisticsTests(TestCase):
    def test_migrating_takes_fresh_planner_statistics(self):
        """A table rebuilt by a migration loses its statistics; migrate takes them again."""
        make_archive(3)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'articles_article'")
        refresh_statistics(using="default", plan=[("articles", "0001_initial")])
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'articles_article'")
            else:
                cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'articles_article'")
            self.assertGreater(cursor.fetchone()[0], 0)

    def test_a_migrate_with_nothing_to_apply_leaves_statistics_alone(self):
        with CaptureQueriesContext(connection) as queries:
            refresh_statistics(using="default", plan=[])
        self.assertEqual(len(queries), 0)
