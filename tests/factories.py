"""Small builders for test data; every test states what it needs and nothing more."""

from datetime import timedelta
from itertools import count

from django.utils import timezone

from articles.models import Article, Author

_sequence = count(1)


def make_author(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Author {n}")
    fields.setdefault("slug", f"author-{n}")
    return Author.objects.create(**fields)


def make_article(*, tags=(), authors=None, **fields):
    n = next(_sequence)
    fields.setdefault("title", f"Article {n}")
    fields.setdefault("standfirst", f"Standfirst of article {n}.")
    fields.setdefault("body", f"<p>Body of article {n}.</p>")
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    article = Article.objects.create(**fields)
    article.authors.set(authors if authors is not None else [make_author()])
    if tags:
        article.tags.set(list(tags))
    return article


def make_archive(size, *, tags=("Ukraine", "Russie", "OTAN"), authors=None, start=None):
    """``size`` published articles, an hour apart, sharing tags and authors."""
    authors = authors or [make_author(), make_author()]
    start = start or timezone.now() - timedelta(days=2)
    return [
        make_article(
            title=f"Archive piece {i}",
            published_at=start - timedelta(hours=i),
            tags=tags,
            authors=authors,
        )
        for i in range(size)
    ]
