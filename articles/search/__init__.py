"""Full-text search of articles in French, on SQLite (FTS5) or PostgreSQL.

Models, views and commands use only what is here; the engine follows the database in use.
Each engine module provides ``search(queryset, query)``, ``page(articles, bottom, top)`` (a
slice of search()'s results), ``snippets(articles, query)`` (text with matches between OPEN
and CLOSE), ``index(articles, keywords)``, ``index_keywords(model, keywords)``,
``remove(pks)``, ``clear()``, ``optimize()`` and ``similar_word(word)`` (the nearest word of
the vocabulary, for spelling suggestions).

An article is found by its text and by its keywords: the names of its tags and authors, so
that "Corée" finds every article tagged "Corée du Nord".
"""

from collections import defaultdict
from importlib import import_module
from itertools import islice

from django.db import connection

from articles.search import spelling
from articles.search.models import MAX_WORD_LENGTH, SearchTerm
from articles.search.query import MAX_LENGTH, Query, fold, parse, words  # noqa: F401
from articles.search.text import marked_html

ENGINES = {"sqlite": "articles.search.sqlite", "postgresql": "articles.search.postgres"}
BATCH_SIZE = 1000
# How many matches a search counts and pages through, at most.
COUNT_LIMIT = 1000


def engine():
    return import_module(ENGINES[connection.vendor])


def page(articles, bottom, top):
    """The search results ``articles`` (``ArticleQuerySet.search()``) from ``bottom`` to
    ``top``, as the engine reads them best."""
    return engine().page(articles, bottom, top)


def snippets(articles, query):
    """Each article's snippet, as HTML with the matched words in <mark>, by primary key."""
    articles = list(articles)
    texts = engine().snippets(articles, query) if query and articles else {}
    return {pk: marked_html(text) for pk, text in texts.items()}


def index(articles):
    """Bring the index, and the vocabulary, in step with these saved articles."""
    articles = list(articles)
    if articles:
        names = keywords(type(articles[0]), [article.pk for article in articles])
        engine().index(articles, names)
        add_terms(" ".join((a.title, a.standfirst, names[a.pk])) for a in articles)


def keywords(model, pks):
    """The names of each article's tags and authors, as one text, by primary key."""
    found = defaultdict(list)
    for field in ("tags__name", "authors__name"):
        rows = model._default_manager.filter(pk__in=pks, **{f"{field}__isnull": False})
        for pk, name in rows.values_list("pk", field).order_by(field):
            found[pk].append(name)
    return {pk: " ".join(found[pk]) for pk in pks}


def add_terms(texts):
    """Add the words of these texts to the vocabulary that spelling suggestions come from."""
    vocabulary = {word for text in texts for word in words(text)}
    SearchTerm.objects.bulk_create(
        [
            SearchTerm(word=word, folded=fold(word))
            for word in vocabulary
            if 3 <= len(word) <= MAX_WORD_LENGTH
        ],
        ignore_conflicts=True,
    )


def suggestion(text):
    """What the reader may have meant to type, when some words of ``text`` are unknown."""
    return spelling.suggestion(text, engine().similar_word)


def refresh_keywords(model, pks):
    """Index again the keywords of these articles: retagged, or a tag or author renamed."""
    pks = list(pks)
    for start in range(0, len(pks), BATCH_SIZE):
        engine().index_keywords(model, keywords(model, pks[start : start + BATCH_SIZE]))


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
