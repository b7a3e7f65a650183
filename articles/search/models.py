"""The SQLite index seen through the ORM, so that a search is one query joined to articles."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

# Longer "words" are no words a reader types (URLs, runs of digits): they are not suggested.
MAX_WORD_LENGTH = 40


class MatchField(models.TextField):
    """FTS5's hidden column named after its table: MATCH on it searches every column."""


@MatchField.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class SearchEntry(models.Model):
    """A row of the FTS5 table ``articles_search``, created by migration on SQLite only.

    It holds the French stems of an article's headline, standfirst, body and keywords (its
    tags' and authors' names), under its id.
    """

    article = models.OneToOneField(
        "articles.Article",
        models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        related_name="search_entry",
    )
    title = models.TextField()
    standfirst = models.TextField()
    body = models.TextField()
    # The names of its tags and authors.
    keywords = models.TextField()
    document = MatchField(db_column="articles_search")

    class Meta:
        app_label = "articles"
        db_table = "articles_search"
        managed = False

    def __str__(self):
        return self.title


class SearchTerm(models.Model):
    """A word of the archive's headlines, standfirsts, tags and bylines, in lower case.

    The vocabulary that misspelt searches are matched against ("zelenski" → "zelensky").
    Words are added as articles are indexed and never taken away: a word gone from every
    article can still be suggested, and its search then finds nothing, as any search can.
    """

    word = models.CharField(max_length=MAX_WORD_LENGTH, primary_key=True)
    # Without accents, which readers often leave out: what a typed word is compared with.
    folded = models.CharField(max_length=MAX_WORD_LENGTH, db_index=True)

    class Meta:
        app_label = "articles"

    def __str__(self):
        return self.word


class SearchDocument(models.Model):
    """A row of ``articles_search_document``, created by migration on PostgreSQL only.

    Each article's search vector and publication time, copied by a trigger whenever the
    article's row changes: a table of narrow rows (the vector itself lies out of line), so
    that finding the newest matches of a broad search reads a few megabytes, not the
    articles' heap. Which of them are published is still asked of the articles.
    """

    article = models.OneToOneField(
        "articles.Article",
        models.DO_NOTHING,
        primary_key=True,
        related_name="search_document",
    )
    published_at = models.DateTimeField()
    vector = SearchVectorField()

    class Meta:
        app_label = "articles"
        db_table = "articles_search_document"
        managed = False

    def __str__(self):
        return str(self.article_id)
