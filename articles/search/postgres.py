"""The PostgreSQL engine: a stored, weighted tsvector with a GIN index, in ``french_unaccent``.

The article's vector is computed in its row; a trigger copies it, with the publication
time, into the narrow SearchDocument table, where broad searches find their newest matches.

``french_unaccent`` is French stemming after accent folding, created by migration. Spelling
suggestions use pg_trgm's similarity where the migration could create the extension.
"""

import operator
from functools import cache, reduce

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery, TextField, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat, Replace

from articles.search.models import SearchDocument, SearchTerm
from articles.search.query import fold
from articles.search.spelling import nearest_in_vocabulary
from articles.search.text import CLOSE, OPEN, plain_text

CONFIG = "french_unaccent"
# Below this pg_trgm similarity, a word is no suggestion for another.
SIMILARITY = 0.4


def names(through, key, name, **lookups):
    """The names an article's link rows point at (its tags', its authors'), as one text."""
    rows = through.objects.filter(**{key: OuterRef("pk")}, **lookups).order_by().values(key)
    names = rows.annotate(names=StringAgg(name, " ", output_field=TextField())).values("names")
    return Coalesce(Subquery(names), Value(""), output_field=TextField())


def vector(model):
    """The tsvector's expression: headline (A) and standfirst (B), then keywords (C), then body."""
    keywords = Concat(
        names(
            model.tags.through,
            "object_id",
            "tag__name",
            content_type=ContentType.objects.get_for_model(model),
        ),
        Value(" "),
        names(model.authors.through, "article_id", "author__name"),
        output_field=TextField(),
    )
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("standfirst", weight="B", config=CONFIG)
        + SearchVector(keywords, weight="C", config=CONFIG)
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


def search(queryset, query, newest=None):
    """The matches ranked; with ``newest``, only that many of the newest.

    Ranking reads each vector: ranking all 23,880 matches of "Hamas OR Hezbollah" took
    760 ms on the benchmark archive, the newest 1,001 10 ms.
    """
    ts = ts_query(query)
    if newest is None:
        matching = queryset.filter(search_vector=ts)
    else:
        # Each match counts them all (``matches``): a page of results needs no query to count
        # them, which would find the newest matches again (views.SearchPaginator).
        matching = queryset.filter(pk__in=newest_matches(queryset, ts, newest))
        matching = matching.annotate(matches=Window(Count("pk")))
    return matching.annotate(rank=SearchRank(F("search_vector"), ts)).order_by(
        "-rank", "-published_at", "-pk"
    )


def newest_matches(queryset, ts, limit):
    """The ids of the ``limit`` newest articles of ``queryset`` matching ``ts``, as a subquery.

    The matches come from the narrow SearchDocument table through its GIN index, sorted by
    time; only then is each asked of ``queryset``, until ``limit`` are found. "OFFSET 0" keeps
    the planner from joining every match to the articles first (24,325 for "Hamas OR
    Hezbollah") or from walking the articles by time and testing each vector (300 ms for
    "réfugiés", whose 6,525 matches lie one in fifteen).
    """
    matches = SearchDocument.objects.filter(vector=ts).order_by("-published_at", "-article_id")
    matches = matches.values("article_id", "published_at")
    matches_sql, matches_params = matches.query.sql_with_params()
    chosen_sql, chosen_params = queryset.order_by().values("pk").query.sql_with_params()
    # Ordered again outside: a join may not keep the order; when it does, no sort is added.
    return RawSQL(
        f"SELECT article_id FROM ({matches_sql} OFFSET 0) AS matches"
        f" WHERE article_id IN ({chosen_sql})"
        " ORDER BY published_at DESC, article_id DESC LIMIT %s",
        (*matches_params, *chosen_params, limit),
    )


def page(articles, bottom, top):
    """The ranked ``articles`` from ``bottom`` to ``top``."""
    return articles[bottom:top]


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


def index(articles, keywords):
    """Compute the vectors in the database, in one statement that reads the keywords itself."""
    model = type(articles[0])
    articles = model._default_manager.filter(pk__in=[a.pk for a in articles])
    articles.update(search_vector=vector(model))


def index_keywords(model, keywords):
    """A vector is remade whole: index again the articles of these primary keys."""
    model._default_manager.filter(pk__in=keywords).update(search_vector=vector(model))


@cache
def has_trigrams(database):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def similar_word(word):
    """The most similar word by pg_trgm, through its index; else as on SQLite."""
    if not has_trigrams(connection.settings_dict["NAME"]):
        return nearest_in_vocabulary(word)
    folded = fold(word)
    with connection.cursor() as cursor:
        # "%%" is pg_trgm's "similar" operator (with its own threshold), which the index serves.
        cursor.execute(
            f"SELECT word FROM {SearchTerm._meta.db_table} WHERE folded %% %s "
            "AND similarity(folded, %s) >= %s ORDER BY similarity(folded, %s) DESC, word LIMIT 1",
            [folded, folded, SIMILARITY, folded],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def remove(pks):
    """Nothing to do: the vector goes with its row."""


def optimize():
    """Refresh the planner's statistics, after a bulk load."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE articles_article, {SearchDocument._meta.db_table}")


def clear():
    """Nothing to do: indexing every article recomputes every vector."""
