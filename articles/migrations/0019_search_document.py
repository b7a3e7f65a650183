"""PostgreSQL: a narrow copy of each article's search vector and publication time.

A broad search ("Hamas OR Hezbollah", 24,000 of 100,000 articles) looked for its newest
matches either in the articles' heap (14,000 pages of wide rows) or by walking the
publication-time index and testing each row's vector; both took 100 to 300 ms. This table
holds (id, publication time, vector) with the vector out of line, kept by triggers whatever
writes the article (a save, a queryset update, a delete, a flush). SQLite has FTS5's own
table and needs nothing.
"""

from django.db import migrations

CREATE = """
CREATE TABLE articles_search_document (
    article_id bigint PRIMARY KEY,
    published_at timestamp with time zone NOT NULL,
    vector tsvector NOT NULL
) WITH (toast_tuple_target = 128, parallel_workers = 0);

INSERT INTO articles_search_document (article_id, published_at, vector)
SELECT id, published_at, search_vector FROM articles_article WHERE search_vector IS NOT NULL;

CREATE INDEX articles_search_document_vector ON articles_search_document USING gin (vector);

CREATE FUNCTION articles_search_document_copy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM articles_search_document WHERE article_id = OLD.id;
    ELSIF NEW.search_vector IS NULL THEN
        DELETE FROM articles_search_document WHERE article_id = NEW.id;
    ELSE
        INSERT INTO articles_search_document (article_id, published_at, vector)
        VALUES (NEW.id, NEW.published_at, NEW.search_vector)
        ON CONFLICT (article_id) DO UPDATE
        SET published_at = EXCLUDED.published_at, vector = EXCLUDED.vector;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_search_document_copy
AFTER INSERT OR DELETE OR UPDATE OF search_vector, published_at ON articles_article
FOR EACH ROW EXECUTE FUNCTION articles_search_document_copy();

CREATE FUNCTION articles_search_document_empty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE articles_search_document;
    RETURN NULL;
END
$$;

CREATE TRIGGER articles_search_document_empty
AFTER TRUNCATE ON articles_article
FOR EACH STATEMENT EXECUTE FUNCTION articles_search_document_empty();

ANALYZE articles_search_document;
"""

DROP = """
DROP TRIGGER articles_search_document_empty ON articles_article;
DROP TRIGGER articles_search_document_copy ON articles_article;
DROP FUNCTION articles_search_document_empty();
DROP FUNCTION articles_search_document_copy();
DROP TABLE articles_search_document;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # No parameters: several statements go as one simple query.
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_section_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
