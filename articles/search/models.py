"""The SQLite index seen through the ORM, so that a search is one query joined to articles."""

from django.db import models


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

    It holds the French stems of an article's headline, standfirst and body, under its id.
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
    document = MatchField(db_column="articles_search")

    class Meta:
        app_label = "articles"
        db_table = "articles_search"
        managed = False

    def __str__(self):
        return self.title
