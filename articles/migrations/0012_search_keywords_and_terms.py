"""Search by keywords (tag and author names) and a vocabulary for spelling suggestions.

SQLite: the FTS5 table gains a ``keywords`` column (a virtual table cannot be altered: it is
made anew, its rows copied). PostgreSQL: every vector is computed again with the keywords, and
pg_trgm, where the database lets this role create it, indexes the vocabulary.

The index and vocabulary are filled here with code copied from articles.search, not imported:
this migration must keep doing what it did when the search code changes.
"""

import html
import re
import unicodedata

import Stemmer
from django.db import migrations, models, transaction
from django.db.utils import DatabaseError

WORD = re.compile(r"[^\W_]+")
TAG = re.compile(r"<[^>]*>")
BATCH_SIZE = 1000
FTS_COLUMNS = "title, standfirst, body"
FTS_OPTIONS = "tokenize = 'unicode61 remove_diacritics 2'"


def words(text):
    return [word.lower() for word in WORD.findall(unicodedata.normalize("NFC", text))]


def fold(word):
    return "".join(c for c in unicodedata.normalize("NFKD", word) if c.isalnum()) or word


def stems(text, stemmer=Stemmer.Stemmer("french")):
    return " ".join(stemmer.stemWord(fold(word)) for word in words(text))


def plain_text(body):
    return " ".join(html.unescape(TAG.sub(" ", body)).split())


def keywords(apps):
    """Every article's tag and author names, as one text, by primary key."""
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    Byline = apps.get_model("articles", "Article").authors.through
    names = {}
    tags = TaggedItem.objects.filter(content_type_id=article_content_type(apps))
    for rows, fields in ((tags, ("object_id", "tag__name")), (Byline.objects, ("article_id", "author__name"))):
        for pk, name in rows.values_list(*fields).order_by(*fields).iterator(BATCH_SIZE):
            names.setdefault(pk, []).append(name)
    return {pk: " ".join(found) for pk, found in names.items()}


def sqlite_forwards(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    execute = schema_editor.execute
    execute(f"CREATE VIRTUAL TABLE articles_search_new USING fts5({FTS_COLUMNS}, keywords, {FTS_OPTIONS})")
    execute(
        "INSERT INTO articles_search_new (rowid, title, standfirst, body, keywords) "
        "SELECT rowid, title, standfirst, body, '' FROM articles_search"
    )
    execute("DROP TABLE articles_search")
    execute("ALTER TABLE articles_search_new RENAME TO articles_search")
    names = keywords(apps)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM articles_search")
        indexed = {pk for (pk,) in cursor.fetchall()}
        # Articles never indexed (saved before the search index existed) are indexed whole.
        missing = Article.objects.exclude(pk__in=indexed).only("title", "standfirst", "body")
        cursor.executemany(
            "INSERT INTO articles_search (rowid, title, standfirst, body, keywords) "
            "VALUES (%s, %s, %s, %s, '')",
            [
                (a.pk, stems(a.title), stems(a.standfirst), stems(plain_text(a.body)))
                for a in missing.iterator(BATCH_SIZE)
            ],
        )
        cursor.executemany(
            "UPDATE articles_search SET keywords = %s WHERE rowid = %s",
            [(stems(text), pk) for pk, text in names.items()],
        )
        cursor.execute("INSERT INTO articles_search (articles_search) VALUES ('optimize')")


def sqlite_backwards(apps, schema_editor):
    execute = schema_editor.execute
    execute(f"CREATE VIRTUAL TABLE articles_search_old USING fts5({FTS_COLUMNS}, {FTS_OPTIONS})")
    execute(
        "INSERT INTO articles_search_old (rowid, title, standfirst, body) "
        "SELECT rowid, title, standfirst, body FROM articles_search"
    )
    execute("DROP TABLE articles_search")
    execute("ALTER TABLE articles_search_old RENAME TO articles_search")


# The vector as articles.search.postgres wrote it when this migration was made.
POSTGRES_VECTOR = """
    setweight(to_tsvector('french_unaccent', coalesce(title, '')), 'A')
    || setweight(to_tsvector('french_unaccent', coalesce(standfirst, '')), 'B')
    {keywords}
    || setweight(to_tsvector('french_unaccent', coalesce(body, '')), 'D')
"""
POSTGRES_KEYWORDS = """
    || setweight(to_tsvector('french_unaccent',
        coalesce((SELECT string_agg(tag.name, ' ') FROM taggit_taggeditem item
                  JOIN taggit_tag tag ON tag.id = item.tag_id
                  WHERE item.object_id = articles_article.id AND item.content_type_id = %s), '')
        || ' ' ||
        coalesce((SELECT string_agg(author.name, ' ') FROM articles_article_authors byline
                  JOIN articles_author author ON author.id = byline.author_id
                  WHERE byline.article_id = articles_article.id), '')), 'C')
"""


def article_content_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="articles", model="article")[0].pk


def postgres_forwards(apps, schema_editor):
    vector = POSTGRES_VECTOR.format(keywords=POSTGRES_KEYWORDS)
    schema_editor.execute(
        f"UPDATE articles_article SET search_vector = {vector}", [article_content_type(apps)]
    )
    try:
        # A savepoint: where this role may not create extensions, the migration goes on, and
        # suggestions come from the same matcher as on SQLite.
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return
    schema_editor.execute(
        "CREATE INDEX articles_searchterm_folded_trgm "
        "ON articles_searchterm USING gin (folded gin_trgm_ops)"
    )


def postgres_backwards(apps, schema_editor):
    # The extension stays: other code of the database may use it.
    schema_editor.execute("DROP INDEX IF EXISTS articles_searchterm_folded_trgm")
    vector = POSTGRES_VECTOR.format(keywords="")
    schema_editor.execute(f"UPDATE articles_article SET search_vector = {vector}")


def fill_vocabulary(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    SearchTerm = apps.get_model("articles", "SearchTerm")
    names = keywords(apps)
    vocabulary = set()
    for pk, title, standfirst in Article.objects.values_list("pk", "title", "standfirst").iterator(
        BATCH_SIZE
    ):
        vocabulary.update(words(f"{title} {standfirst} {names.get(pk, '')}"))
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=word, folded=fold(word)) for word in vocabulary if 3 <= len(word) <= 40],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )


# Each engine's (forwards, backwards).
ENGINES = {
    "sqlite": (sqlite_forwards, sqlite_backwards),
    "postgresql": (postgres_forwards, postgres_backwards),
}


def forwards(apps, schema_editor):
    ENGINES[schema_editor.connection.vendor][0](apps, schema_editor)
    fill_vocabulary(apps, schema_editor)


def backwards(apps, schema_editor):
    ENGINES[schema_editor.connection.vendor][1](apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_publication_day_month_totals"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                ("word", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("folded", models.CharField(db_index=True, max_length=40)),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
