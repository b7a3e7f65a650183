"""The PostgreSQL engine: a stored, weighted tsvector with a GIN index, in ``french_unaccent``.

``french_unaccent`` is French stemming after accent folding, created by migration.
"""

import operator
from functools import reduce

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, TextField, Value
from django.db.models.functions import Concat, Replace

from articles.search.text import CLOSE, OPEN, plain_text

CONFIG = "french_unaccent"
# The tsvector's weights: headline (A) and standfirst (B) above the body (D).
VECTOR = (
    SearchVector("title", weight="A", config=CONFIG)
    + SearchVector("standfirst", weight="B", config=CONFIG)
    + SearchVector("body", weight="D", config=CONFIG)
)


def ts_query(query):
    """The parsed query as a tsquery: websearch_to_tsquery for each phrase, joined by |, & and !.

    One websearch string cannot say (a or b) and c: its "or" binds looser than "and".
    """

    def phrase(words):
        return SearchQuery('"' + " ".join(words) + '"', search_type="websearch", config=CONFIG)

    ts = reduce(operator.and_, (reduce(operator.or_, map(phrase, group)) for group in query.groups))
    for words in query.excluded:
        ts &= ~phrase(words)
    return ts


def search(queryset, query):
    ts = ts_query(query)
    return (
        queryset.filter(search_vector=ts)
        .annotate(rank=SearchRank(F("search_vector"), ts))
        .order_by("-rank", "-published_at", "-pk")
    )


def snippets(articles, query):
    model = type(articles[0])
    headline = SearchHeadline(
        # One HTML text: the standfirst escaped, then the body. Its tags are tokens of their own,
        # so fragments keep them whole, and plain_text() takes them out.
        Concat(escaped("standfirst"), Value("\n"), "body", output_field=TextField()),
        ts_query(query),
        config=CONFIG,
        start_sel=OPEN,
        stop_sel=CLOSE,
        max_words=30,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    rows = model._default_manager.filter(pk__in=[a.pk for a in articles]).annotate(snippet=headline)
    return {pk: plain_text(snippet) for pk, snippet in rows.values_list("pk", "snippet")}


def escaped(field):
    expression = F(field)
    for character, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        expression = Replace(expression, Value(character), Value(entity), output_field=TextField())
    return expression


def index(articles):
    model = type(articles[0])
    model._default_manager.filter(pk__in=[a.pk for a in articles]).update(search_vector=VECTOR)


def remove(pks):
    """Nothing to do: the vector goes with its row."""


def optimize():
    """Refresh the planner's statistics, after a bulk load."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")


def clear():
    """Nothing to do: indexing every article recomputes every vector."""
