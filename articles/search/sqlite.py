"""The SQLite engine: an FTS5 table of Snowball French stems, ranked with bm25.

FTS5's own tokenizer (``unicode61 remove_diacritics 2``) cannot stem French, so every word is
folded and stemmed here, on the way in and on the way out; the table holds one stem for each
word of the original text, in order, which lets a highlighted stem point back at its word.
"""

import re
import unicodedata

from django.db import connection
from django.db.models import FloatField, Func

from articles import rows
from articles.search.models import SearchEntry
from articles.search.query import WORD, stem, words
from articles.search.spelling import nearest_in_vocabulary
from articles.search.text import CLOSE, OPEN, plain_text

TABLE = SearchEntry._meta.db_table
# Headline, standfirst and keywords weigh more than the body (bm25 takes one weight per column).
WEIGHTS = {"title": 10.0, "standfirst": 4.0, "body": 1.0, "keywords": 4.0}
SNIPPET_WORDS = 30

# FTS5 marks matches in the stem text with these; stems are letters and digits only.
HIT_OPEN, HIT_CLOSE = "\x02", "\x03"
HIT_PIECE = re.compile(rf"{HIT_OPEN}|{HIT_CLOSE}|[^\s{HIT_OPEN}{HIT_CLOSE}]+")


def stems(text):
    return " ".join(stem(word) for word in words(text))


def match_expression(query):
    """The FTS5 MATCH string for a parsed query; every word is a quoted stem, never syntax."""

    def phrase(words):
        return '"' + " ".join(stem(word) for word in words) + '"'

    def group(alternatives):
        return "(" + " OR ".join(phrase(words) for words in alternatives) + ")"

    expression = "(" + " AND ".join(group(alternatives) for alternatives in query.groups) + ")"
    return expression + "".join(f" NOT {phrase(words)}" for words in query.excluded)


class BM25(Func):
    template = f"bm25({TABLE}, {', '.join(str(w) for w in WEIGHTS.values())})"
    output_field = FloatField()


def search(queryset, query, newest=None):
    """Every match ranked, whatever ``newest``: choosing the newest first sorts every match by
    date, which cost SQLite more than bm25 over all of them (25 ms against 13 ms of CPU)."""
    # bm25 is lower for better matches.
    return (
        queryset.filter(search_entry__document__match=match_expression(query))
        .annotate(rank=BM25())
        .order_by("rank", "-published_at", "-pk")
    )


def page(articles, bottom, top):
    """The ranked ``articles`` (teasers with their section, as listings read them) from
    ``bottom`` to ``top``, their rows read for those alone.

    Ranked first, in a subquery reading only the index on (id, status, published_at) of each
    match; only the page's rows are then read and joined to their section. Ranked and sorted
    whole, the rows of every match were read from the table and carried through the sort to
    keep 12: the search for "Hamas OR Hezbollah" (24,000 matches) took 72 ms instead of 38,
    and none of bench/search.py's took longer this way.
    """
    if "rank" not in articles.query.annotations:  # no words: nothing searched, nothing ranked
        return articles[bottom:top]
    model, using = articles.model, articles.db
    section = model._meta.get_field("section")
    names, deferring = articles.query.deferred_loading
    deferred = tuple(sorted(names)) if deferring else ()
    ranked, params = articles.values("pk", "rank")[bottom:top].query.sql_with_params()
    quote = connection.ops.quote_name
    sql = (
        f"SELECT {rows.columns(model, 'article', deferred)}, "
        f"{rows.columns(section.related_model, 'section')} FROM ({ranked}) ranked "
        f"INNER JOIN {quote(model._meta.db_table)} article ON article.id = ranked.pk "
        f"LEFT OUTER JOIN {quote(section.related_model._meta.db_table)} section "
        f"ON section.id = article.{quote(section.column)} "
        "ORDER BY ranked.rank, article.published_at DESC, article.id DESC"
    )
    with rows.cursor(using) as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    page = []
    for row in found:
        (article, its_section), _ = rows.split(
            row, using, (model, deferred), (section.related_model, ())
        )
        section.set_cached_value(article, its_section)
        page.append(article)
    return page


def snippets(articles, query):
    by_pk = {article.pk: article for article in articles}
    placeholders = ", ".join(["%s"] * len(by_pk))
    # The body is read here, with the highlights: result pages, like every list of teasers,
    # leave it out of the articles they read.
    body = f"(SELECT body FROM {type(articles[0])._meta.db_table} WHERE id = {TABLE}.rowid)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, highlight({TABLE}, 1, %s, %s), highlight({TABLE}, 2, %s, %s), {body} "
            f"FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({placeholders})",
            [*(HIT_OPEN, HIT_CLOSE) * 2, match_expression(query), *by_pk],
        )
        rows = cursor.fetchall()
    return {
        pk: snippet(
            by_pk[pk].standfirst + "\n" + plain_text(body),
            hits(highlighted_standfirst) + hits(highlighted_body),
        )
        for pk, highlighted_standfirst, highlighted_body, body in rows
    }


def hits(highlighted):
    """For each stem of a highlighted column, whether FTS5 marked it as matched."""
    flags, inside = [], False
    for piece in HIT_PIECE.findall(highlighted):
        if piece in (HIT_OPEN, HIT_CLOSE):
            inside = piece == HIT_OPEN
        else:
            flags.append(inside)
    return flags


def snippet(text, flags):
    """About SNIPPET_WORDS words of ``text`` around its first match, matches marked."""
    text = unicodedata.normalize("NFC", text)
    spans = [match.span() for match in WORD.finditer(text)]
    if not spans:
        return ""
    first = flags.index(True) if True in flags else 0
    start = max(0, first - SNIPPET_WORDS // 4)
    end = min(len(spans), start + SNIPPET_WORDS)
    parts, position = ["… " if start else ""], spans[start][0]
    for (begin, finish), matched in zip(spans[start:end], flags[start:end], strict=False):
        parts.append(text[position:begin])
        word = text[begin:finish]
        parts.append(f"{OPEN}{word}{CLOSE}" if matched else word)
        position = finish
    parts.append(" …" if end < len(spans) else "")
    return "".join(parts)


def index(articles, keywords):
    rows = [
        (
            article.pk,
            stems(article.title),
            stems(article.standfirst),
            stems(plain_text(article.body)),
            stems(keywords[article.pk]),
        )
        for article in articles
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT OR REPLACE INTO {TABLE} (rowid, title, standfirst, body, keywords) "
            "VALUES (%s, %s, %s, %s, %s)",
            rows,
        )


def index_keywords(model, keywords):
    """Index again these articles' keywords (by primary key) alone: a tag or author renamed."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {TABLE} SET keywords = %s WHERE rowid = %s",
            [(stems(text), pk) for pk, text in keywords.items()],
        )


def remove(pks):
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {TABLE} WHERE rowid = %s", [(pk,) for pk in pks])


def optimize():
    """After a bulk load: merge the index's segments, and refresh the planner's statistics.

    Without statistics SQLite may read the articles first and run the full-text query once
    for each of them, instead of once in all: seconds instead of milliseconds on a large
    archive.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")
        cursor.execute("ANALYZE")


def clear():
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")


def similar_word(word):
    return nearest_in_vocabulary(word)
