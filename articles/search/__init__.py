"""Full-text search of articles in French, on SQLite (FTS5) or PostgreSQL.

Models, views and commands use only what is here; the engine follows the database in use.
Each engine module provides ``search(queryset, query)``, ``snippets(articles, query)`` (text
with matches between OPEN and CLOSE), ``index(articles)``, ``remove(pks)``, ``clear()`` and
``optimize()``.
"""

from importlib import import_module
from itertools import islice

from django.db import connection

from articles.search.query import MAX_LENGTH, Query, parse  # noqa: F401
from articles.search.text import marked_html

ENGINES = {"sqlite": "articles.search.sqlite", "postgresql": "articles.search.postgres"}
BATCH_SIZE = 1000
# How many matches a search counts and pages through, at most.
COUNT_LIMIT = 1000


def engine():
    return import_module(ENGINES[connection.vendor])


def snippets(articles, query):
    """Each article's snippet, as HTML with the matched words in <mark>, by primary key."""
    articles = list(articles)
    texts = engine().snippets(articles, query) if query and articles else {}
    return {pk: marked_html(text) for pk, text in texts.items()}


def index(articles):
    """Bring the index in step with these saved articles."""
    if articles:
        engine().index(articles)


def remove(pks):
    engine().remove(pks)


def rebuild(queryset, progress=lambda done, total: None):
    """Index every article of ``queryset`` from scratch, calling ``progress(done, total)``."""
    engine().clear()
    total = queryset.count()
    articles = queryset.only("title", "standfirst", "body").order_by("pk").iterator(BATCH_SIZE)
    for done in range(0, total, BATCH_SIZE):
        batch = list(islice(articles, BATCH_SIZE))
        index(batch)
        progress(done + len(batch), total)
    engine().optimize()
