"""Small builders for test data; every test states what it needs and nothing more."""

import json
import re
from contextlib import contextmanager
from datetime import timedelta
from io import BytesIO
from itertools import count

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import reverse, set_script_prefix
from django.utils import timezone
from PIL import Image

from articles.cache import mark_editor
from articles.models import Article, Author, Section
from live.models import LiveCoverage, LiveUpdate
from stories.models import Place, Story, StoryPiece

# The demo fixture's seed article.
SEED_URL = "/articles/2024/10/27/des-troupes-nord-coreennes-soutiennent-la-russie-en-ukraine/"

# Queries that storing an article's page costs (articles.shells) inside a test's transaction:
# its INSERT, in a savepoint, and the savepoint's release.
STORING = 3

_sequence = count(1)


def page_query(number):
    """The query string of a list's page ``number``: none for the first, whose address has
    no number (``?page=1`` redirects to it)."""
    return {"page": number} if number > 1 else {}


@contextmanager
def script_prefix(prefix):
    """Links built in the block are the site's served under ``prefix`` (as by SCRIPT_NAME)."""
    set_script_prefix(prefix)
    try:
        yield
    finally:
        set_script_prefix("/")


def make_author(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Author {n}")
    fields.setdefault("slug", f"author-{n}")
    return Author.objects.create(**fields)


def make_section(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Section {n}")
    fields.setdefault("slug", f"section-{n}")
    fields.setdefault("position", n)
    return Section.objects.create(**fields)


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


def keep_menu(client):
    """Build a page whose menu reads the sections, which each worker then keeps until the next
    change: the pages built after it cost their own queries only."""
    response = client.get(reverse("stories:list"))
    assert response.status_code == 200, response.status_code


def ask_until_cached(client, url, data=None):
    """Ask for a reader page until the shared cache holds it: twice, as the page cache stores
    a page on its second request (articles.cache). The response that stored it."""
    client.get(url, data)
    return client.get(url, data)


def make_user(role=None, **fields):
    """A staff user in the named group ("Rédacteurs" or "Éditeurs"), or a plain reader."""
    n = next(_sequence)
    fields.setdefault("is_staff", role is not None)
    user = get_user_model().objects.create_user(username=f"user{n}", password="x", **fields)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


# The management forms of the article form's inlines (corrections, stories, places), empty:
# every post of the form carries them.
EMPTY_INLINES = {
    f"{prefix}-{count}": "0"
    for prefix in ("corrections", "story_pieces", "place_links")
    for count in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def change_form_data(article, **changes):
    """What the admin change form of ``article`` posts when saved as is, plus ``changes``."""
    published_at = timezone.localtime(article.published_at)
    data = {
        "title": article.title,
        "slug": article.slug,
        "dateline": article.dateline,
        "standfirst": article.standfirst,
        "body": article.body,
        "status": article.status,
        "published_at_0": published_at.strftime("%d/%m/%Y"),
        "published_at_1": published_at.strftime("%H:%M:%S"),
        # The hidden copy of a field with a callable default, which Django compares to tell
        # whether the editor changed it.
        "initial-published_at_0": published_at.strftime("%d/%m/%Y"),
        "initial-published_at_1": published_at.strftime("%H:%M:%S"),
        "section": article.section_id or "",
        "authors": [author.pk for author in article.authors.all()],
        "tags": ", ".join(tag.name for tag in article.tags.all()),
        "edited_version": article.version,
        "edited_at": article.updated_at.isoformat(),
        "hero_alt": article.hero_alt,
        "hero_caption": article.hero_caption,
        "hero_credit": article.hero_credit,
        "hero_warning": article.hero_warning,
        "kind": article.kind,
        "sourcing": article.sourcing,
        "sourcing_source": article.sourcing_source,
        "backstory": article.backstory,
        **EMPTY_INLINES,
    }
    if article.hero_sensitive:
        # A ticked box is posted; an unticked one is not.
        data["hero_sensitive"] = "on"
    data.update(changes)
    return data


def jpeg(size=(40, 30), colour="navy"):
    """The bytes of a plain JPEG picture."""
    output = BytesIO()
    Image.new("RGB", size, colour).save(output, "JPEG")
    return output.getvalue()


def jpeg_upload(size=(1800, 1000), name="front.jpg"):
    """An uploaded JPEG of ``size`` pixels, as a browser would send it."""
    return SimpleUploadedFile(name, jpeg(size, "teal"), content_type="image/jpeg")


def make_story(*, articles=(), key=(), **fields):
    """A story holding ``articles``, those in ``key`` marked as key pieces."""
    n = next(_sequence)
    fields.setdefault("title", f"Story {n}")
    fields.setdefault("slug", f"story-{n}")
    fields.setdefault("summary", f"Summary of story {n}.")
    story = Story.objects.create(**fields)
    for article in articles:
        StoryPiece.objects.create(story=story, article=article, is_key=article in key)
    return story


def make_place(**fields):
    n = next(_sequence)
    fields.setdefault("name", f"Place {n}")
    fields.setdefault("slug", f"place-{n}")
    fields.setdefault("country", "Ukraine")
    return Place.objects.create(**fields)


def make_live(article=None, **fields):
    """A live coverage of ``article`` (a new published article by default), just started."""
    return LiveCoverage.objects.create(article=article or make_article(), **fields)


def post_update(coverage, **fields):
    """An update posted now on ``coverage``, as the admin's posting screen saves it."""
    n = next(_sequence)
    fields.setdefault("body", f"<p>Update {n}.</p>")
    return LiveUpdate.objects.create(coverage=coverage, **fields)


def sign_in(client, user):
    """Sign ``user`` in as the admin's sign-in form does, with the page cache's editor marker."""
    client.force_login(user)
    response = HttpResponse()
    mark_editor(response)
    client.cookies.update(response.cookies)


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def structured_data(response):
    """The page's article document (the JSON-LD that has a headline)."""
    documents = [json.loads(text) for text in JSON_LD.findall(response.content.decode())]
    return next(doc for doc in documents if "headline" in doc)


def change_url(article):
    """The admin's change form of ``article``."""
    return reverse("admin:articles_article_change", args=[article.pk])
