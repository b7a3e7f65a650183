"""The listing index: each tag's and author's articles by publication time, and tag counts.

Reader pages ask it instead of joining taggit's table to the articles, whose cost grows with
how many articles carry a tag (41,626 for the biggest of a 100,000-article archive):

- the related-articles sidebar ranks a bounded set of candidates, each tag's newest articles,
  read through the index on (tag, publication time). This was chosen over keeping every
  article's ranking at write time: publishing one article in a big tag would change the
  sidebars of thousands of others, and scheduled articles appear without any save to do it.
  The price is that an old article whose shared tags are all popular may be left out for
  newer ones; a rare tag's articles are all candidates.
- tag counts ("most covered", tag pages and feeds) are kept at write time for every article
  with the published status, and the few still scheduled are subtracted when read.
- tag and author pages read one page of article ids from the index (see articles.paging).
- author and section counts are kept at write time too, as tag counts are: counting an
  author's or a section's range of the index grew with the archive (17-21 ms at a million).
- tag, author and section pages deep into their list seek to a position anchor kept at
  write time (articles.listings.anchors) instead of skipping up to half the list.

The tables are derived, as the search index is: signals (articles.listings.signals) keep them
in step with every save, and rebuild() remakes them after bulk writes that skip signals.
"""

from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import Tag

from articles import rows
from articles.listings import anchors
from articles.listings.models import (
    AuthorAnchor,
    AuthorCount,
    AuthorListing,
    SectionAnchor,
    SectionCount,
    TagAnchor,
    TagCount,
    TagListing,
)

# How many of each tag's newest articles the sidebar ranks.
CANDIDATES_PER_TAG = 100
PUBLISHED = anchors.PUBLISHED
# Later than any publication time, and within reach of any time zone's conversion.
END_OF_TIME = datetime(9999, 1, 1, tzinfo=UTC)


def listed_time(status, published_at):
    return published_at if status == PUBLISHED else None


def article_saved(article):
    """Copy the article's status and time onto its listings, moving their position anchors;
    count again if it (un)published."""
    new = listed_time(article.status, article.published_at)
    with transaction.atomic(savepoint=False):
        tags = restamp(TagListing.objects.filter(article=article), "tag_id", new, TagAnchor)
        refresh_counts(tags)
        authors = AuthorListing.objects.filter(article=article)
        refresh_author_counts(restamp(authors, "author_id", new, AuthorAnchor))


def restamp(listings, key, new, anchor):
    """Give these listings the time ``new``; the keys (tags, authors) whose count it changes."""
    rows = sorted(listings.values_list(key, "published_at"))
    if any(old != new for _, old in rows):
        listings.update(published_at=new)
    for value, old in rows:
        anchors.moved(anchor, value, old, new)
    return [value for value, old in rows if (old is None) != (new is None)]


def section_moved(before, after):
    """Move the position anchors of the sections an article left and joined: ``before`` and
    ``after`` are its (section id, status, publication time), None when not stored."""

    def place(state):
        section, status, published_at = state or (None, None, None)
        return section, listed_time(status, published_at)

    (old_section, old), (new_section, new) = place(before), place(after)
    with transaction.atomic(savepoint=False):
        if old_section == new_section:
            anchors.moved(SectionAnchor, new_section, old, new)
        else:
            anchors.moved(SectionAnchor, old_section, old, None)
            anchors.moved(SectionAnchor, new_section, None, new)


def tagging_saved(tagged_item):
    """A tag put on an article (by its manager, the admin or loaddata): list it there."""
    from articles.models import Article

    if tagged_item.content_type_id != ContentType.objects.get_for_model(Article).pk:
        return
    article = Article.objects.filter(pk=tagged_item.object_id).values("status", "published_at")
    if not (article := article.first()):
        return  # loaddata of a tagging before its article: the article's save lists it
    former = TagListing.objects.filter(pk=tagged_item.pk).values_list("tag_id", "published_at")
    former = former.first()
    tags = {tagged_item.tag_id, *(former[:1] if former else ())}
    new = listed_time(**article)
    with transaction.atomic(savepoint=False):
        TagListing.objects.update_or_create(
            tagged_item=tagged_item,
            defaults={
                "tag_id": tagged_item.tag_id,
                "article_id": tagged_item.object_id,
                "published_at": new,
            },
        )
        old = former and former[1]
        if former and former[0] != tagged_item.tag_id:
            anchors.moved(TagAnchor, former[0], old, None)
            old = None
        anchors.moved(TagAnchor, tagged_item.tag_id, old, new)
        refresh_counts(tags)


def bylines_changed(articles, authors):
    """List again the authors of these articles, or the articles of these authors."""
    from articles.models import Article

    lookups = {}
    if articles is not None:
        lookups["article__in"] = articles
    if authors is not None:
        lookups["author__in"] = authors
    bylines = Article.authors.through.objects.filter(**lookups)
    with transaction.atomic():
        listed = AuthorListing.objects.filter(**lookups)
        before = set(listed.values_list("author_id", "article_id", "published_at"))
        listed.delete()
        created = AuthorListing.objects.bulk_create(
            AuthorListing(author_id=author, article_id=article, published_at=listed_time(*time))
            for author, article, *time in bylines.values_list(
                "author_id", "article_id", "article__status", "article__published_at"
            )
        )
        after = {(row.author_id, row.article_id, row.published_at) for row in created}
        for author, _, published_at in sorted(before - after, key=lambda row: row[:2]):
            anchors.moved(AuthorAnchor, author, published_at, None)
        for author, _, published_at in sorted(after - before, key=lambda row: row[:2]):
            anchors.moved(AuthorAnchor, author, None, published_at)
        refresh_author_counts({author for author, *_ in before | after})


def refresh_counts(tag_ids):
    """Count again these tags' published articles, from their listings (few index reads)."""
    # A count of 0 deletes the row: also what keeps a tag being deleted from getting it back.
    recount(TagCount, "tag_id", tag_ids, TagListing.objects.filter(published_at__isnull=False))


def refresh_author_counts(author_ids):
    """Count again these authors' published articles, from their listings (an index range)."""
    listed = AuthorListing.objects.filter(published_at__isnull=False)
    recount(AuthorCount, "author_id", author_ids, listed)


def refresh_section_counts(section_ids):
    """Count again these sections' articles with the published status (an index range each)."""
    from articles.models import Article

    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    recount(SectionCount, "section_id", section_ids, published)


def recount(model, key, values, rows):
    """Store in ``model`` how many of ``rows`` have each of these ``values`` as ``key``; a
    count of 0 deletes the value's row."""
    for value in set(values) - {None}:
        published = rows.filter(**{key: value}).count()
        if published:
            model.objects.update_or_create(**{key: value}, defaults={"published": published})
        else:
            model.objects.filter(**{key: value}).delete()


def section_article_count(section):
    """The section's published articles readers see now: the stored count less the scheduled
    ones, the few at the newest end of the section's range of its index."""
    from articles.models import Article

    article = connection.ops.quote_name(Article._meta.db_table)
    scheduled = f"SELECT COUNT(*) FROM {article} WHERE section_id = %s AND status = %s"
    scheduled += " AND published_at > %s"
    return shown_count(SectionCount, "section_id", section.pk, scheduled, [PUBLISHED])


def author_article_count(author):
    """The author's published articles readers see now, as section_article_count()."""
    listing = connection.ops.quote_name(AuthorListing._meta.db_table)
    scheduled = f"SELECT COUNT(*) FROM {listing} WHERE author_id = %s AND published_at > %s"
    return shown_count(AuthorCount, "author_id", author.pk, scheduled)


def shown_count(tally, column, value, scheduled, scheduled_params=()):
    """The count stored in ``tally`` for the row whose ``column`` is ``value`` (0 without
    one), less ``scheduled``: SQL counting the rows of that ``value`` (its first parameter),
    then ``scheduled_params``, published after now (its last).

    One statement, written out and prepared on PostgreSQL (``rows.cursor()``): the ORM took
    longer to build it than the database to answer it, and the scheduled rows are the newest
    end of the value's range of an index, which a plan made for any time reads as one made
    for now.
    """
    table = connection.ops.quote_name(tally._meta.db_table)
    sql = f"SELECT COALESCE((SELECT published FROM {table} WHERE {column} = %s), 0) - ({scheduled})"
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with rows.cursor(tally.objects.db) as cursor:
        cursor.execute(sql, [value, value, *scheduled_params, now])
        return cursor.fetchone()[0]


def count_of(rows, field, outer):
    """How many of ``rows`` have ``field`` equal to the outer query's ``outer``, as a
    subquery; 0 when none."""
    rows = rows.filter(**{field: outer}).order_by().values(field).annotate(n=Count("*"))
    return Coalesce(Subquery(rows.values("n")), 0)


def rebuild():
    """Remake the tables from the taggings, bylines and articles (after bulk_create or a
    restore), section counts and every list's position anchors included."""
    from articles.models import Article

    listing, count = TagListing._meta.db_table, TagCount._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        AuthorListing.objects.all().delete()
        cursor.execute(
            f"INSERT INTO {AuthorListing._meta.db_table} (author_id, article_id, published_at) "
            "SELECT byline.author_id, article.id, "
            "CASE WHEN article.status = %s THEN article.published_at END "
            f"FROM {Article.authors.through._meta.db_table} byline "
            f"JOIN {Article._meta.db_table} article ON article.id = byline.article_id",
            [PUBLISHED],
        )
        TagListing.objects.all().delete()
        TagCount.objects.all().delete()
        cursor.execute(
            f"INSERT INTO {listing} (tagged_item_id, tag_id, article_id, published_at) "
            "SELECT item.id, item.tag_id, article.id, "
            "CASE WHEN article.status = %s THEN article.published_at END "
            f"FROM taggit_taggeditem item JOIN {Article._meta.db_table} article "
            "ON article.id = item.object_id WHERE item.content_type_id = %s",
            [PUBLISHED, ContentType.objects.get_for_model(Article).pk],
        )
        cursor.execute(
            f"INSERT INTO {count} (tag_id, published) SELECT tag_id, COUNT(*) FROM {listing} "
            "WHERE published_at IS NOT NULL GROUP BY tag_id"
        )
        AuthorCount.objects.all().delete()
        cursor.execute(
            f"INSERT INTO {AuthorCount._meta.db_table} (author_id, published) "
            f"SELECT author_id, COUNT(*) FROM {AuthorListing._meta.db_table} "
            "WHERE published_at IS NOT NULL GROUP BY author_id"
        )
        SectionCount.objects.all().delete()
        cursor.execute(
            f"INSERT INTO {SectionCount._meta.db_table} (section_id, published) "
            f"SELECT section_id, COUNT(*) FROM {Article._meta.db_table} "
            "WHERE status = %s AND section_id IS NOT NULL GROUP BY section_id",
            [PUBLISHED],
        )
        anchors.rebuild()


def with_article_counts(tags):
    """These tags with ``article_count``, their published articles: the stored count less the
    scheduled ones, found at the end of each tag's index range."""
    scheduled = count_of(TagListing.objects.scheduled(), "tag", OuterRef("pk"))
    return tags.annotate(article_count=Coalesce(F("tally__published"), 0) - scheduled)


def shown_tag(slug):
    """The tag with this slug, with ``article_count`` (see top_tags()); None when there is
    no such tag or none of its articles is published.

    The tag page and its feeds answer 404 then: a tag used only by drafts would reveal
    unpublished work. Its own statement, prepared on PostgreSQL (``rows.cursor()``): one
    tag's scheduled articles are the newest end of its range of the (tag, publication time)
    index, which a plan made for any time reads as one made for now. Parsing and planning
    had been most of the 0.9 ms of the tag page's first statement.
    """
    quote = connection.ops.quote_name
    tag, tally, listing = (quote(model._meta.db_table) for model in (Tag, TagCount, TagListing))
    sql = (
        f"SELECT {rows.columns(Tag, tag)}, {tally}.published - (SELECT COUNT(*) FROM {listing} "
        f"WHERE {listing}.tag_id = {tag}.id AND {listing}.published_at > %s) "
        f"FROM {tag} INNER JOIN {tally} ON {tally}.tag_id = {tag}.id WHERE {tag}.slug = %s"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    found = rows.objects(Tag, sql, [now, slug], Tag.objects.db, extra=["article_count"])
    return next((tag for tag in found if tag.article_count > 0), None)


def top_tags(limit):
    """The ``limit`` tags most used by the published articles readers see now, with
    ``article_count``, the most used first, then by name.

    Every tag's stored count is read, not every tagging: the cost follows how many tags the
    site has, which grows far more slowly than its archive. The SQL is written out, as the
    ORM took longer to build it than the database to answer it, and prepared on PostgreSQL
    (``rows.cursor()``, see scheduled_taggings()): planning it had been most of its 1 ms.
    """
    tag, tally = (connection.ops.quote_name(model._meta.db_table) for model in (Tag, TagCount))
    scheduled, params = scheduled_taggings()
    sql = (
        f"SELECT {rows.columns(Tag, tag)}, "
        f"{tally}.published - COALESCE(scheduled.n, 0) AS article_count "
        f"FROM {tag} INNER JOIN {tally} ON {tally}.tag_id = {tag}.id "
        f"LEFT JOIN ({scheduled}) scheduled ON scheduled.tag_id = {tag}.id "
        f"WHERE {tally}.published - COALESCE(scheduled.n, 0) > 0 "
        f"ORDER BY article_count DESC, {tag}.name LIMIT %s"
    )
    return rows.objects(Tag, sql, [*params, limit], Tag.objects.db, extra=["article_count"])


def used_tag_count():
    """How many tags the published articles readers see now carry, from the stored counts as
    top_tags() reads them: an EXISTS per tag through the articles took 2-3 ms (PostgreSQL,
    300 tags), this 0.5."""
    tally = connection.ops.quote_name(TagCount._meta.db_table)
    scheduled, params = scheduled_taggings()
    sql = (
        f"SELECT COUNT(*) FROM {tally} "
        f"LEFT JOIN ({scheduled}) scheduled ON scheduled.tag_id = {tally}.tag_id "
        f"WHERE {tally}.published - COALESCE(scheduled.n, 0) > 0"
    )
    # A replica while a reader page may read one, as a queryset would.
    with connections[TagCount.objects.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def scheduled_taggings():
    """SQL of (tag_id, n): each tag's number of scheduled articles, which its stored count
    includes, and its parameters. Counted once from the few articles at the end of the
    (status, publication time) index, rather than probed for every tag.

    The times are bounded on both sides, the far one by the end of time, for a prepared
    statement's sake: planned for any time rather than now, PostgreSQL reckons an open range
    (after now) at a third of the archive, and looked for the scheduled taggings among every
    published article's (6 ms instead of 0.3); a closed one, at half a percent, it reads
    through the index.
    """
    from articles.models import Article

    listing, article = (
        connection.ops.quote_name(model._meta.db_table) for model in (TagListing, Article)
    )
    sql = (
        f"SELECT {listing}.tag_id, COUNT(*) AS n FROM {article} "
        f"INNER JOIN {listing} ON {listing}.article_id = {article}.id "
        f"WHERE {article}.status = %s AND {article}.published_at > %s "
        f"AND {article}.published_at < %s GROUP BY {listing}.tag_id"
    )
    times = (timezone.now(), END_OF_TIME)
    return sql, [Article.Status.PUBLISHED, *map(connection.ops.adapt_datetimefield_value, times)]


def used_authors(limit):
    """Up to ``limit`` authors with a published article, by name: one index probe each."""
    from articles.models import Author

    listed = AuthorListing.objects.published().filter(author=OuterRef("pk"))
    return Author.objects.filter(Exists(listed)).order_by("name")[:limit]


def recent(listing, column):
    """SQL: the article ids and publication times of the ``listing`` rows whose ``column`` is
    the first parameter, published by the second, newest first, as many as the third: a
    bounded read, backwards, of the listing's (column, published_at, article_id) index."""
    quote = connection.ops.quote_name
    return (
        f"SELECT article_id, published_at FROM {quote(listing._meta.db_table)} "
        f"WHERE {quote(column)} = %s AND published_at <= %s "
        "ORDER BY published_at DESC, article_id DESC LIMIT %s"
    )


def related(model, deferred, article_id, tag_ids, limit, pinned=True):
    """The published articles (``model``, without the ``deferred`` fields) beside the article
    ``article_id``: those it pins first (when ``pinned`` says it has any), newest first, then
    those sharing most of these tags, then newest. One query, which ranks each tag's
    CANDIDATES_PER_TAG newest articles and no others.

    Written out as SQL: the ORM took longer to build this query than the database took to run
    it, on every article page; the pins had a query of their own, which cost a page with pins
    3 ms more on PostgreSQL. The candidates are ranked in the listing index alone (it holds
    the publication time); only the ``limit`` chosen are read from the article table. The
    listing holds published articles only; the article table's own rule (``published()``) is
    checked again on the rows read.
    """
    quote = connection.ops.quote_name
    listing = quote(TagListing._meta.db_table)
    table = quote(model._meta.db_table)
    pins = model.pinned_related.through._meta
    pin_table = quote(pins.db_table)
    pin_from, pin_to = (
        quote(pins.get_field(name).column) for name in ("from_article", "to_article")
    )
    article_pk = f"{table}.{quote(model._meta.pk.column)}"
    published_at = f"{table}.{quote(model._meta.get_field('published_at').column)}"
    status = f"{table}.{quote(model._meta.get_field('status').column)}"
    is_published = f"{status} = %s AND {published_at} <= %s"
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    published = [model.Status.PUBLISHED, now]
    # Each ranked candidate: whether pinned, how many of the tags it shares, when published.
    branches, params = [], []
    if pinned:
        branches.append(
            f"SELECT {pin_to} AS article_id, 1 AS pinned, 0 AS shared_tags, "
            f"{published_at} AS published_at FROM {pin_table} "
            f"INNER JOIN {table} ON {article_pk} = {pin_to} "
            f"WHERE {pin_from} = %s AND {is_published}"
        )
        params += [article_id, *published]
    if tag_ids:
        in_tags = ", ".join(["%s"] * len(tag_ids))
        newest_of_each_tag = " UNION ALL ".join(
            f"SELECT article_id, published_at FROM ({recent(TagListing, 'tag_id')}) tag_{n}"
            for n in range(len(tag_ids))
        )
        # Each candidate's shared tags are counted by looking its own few up (a correlated
        # subquery), never by reading these tags' listings whole: joined instead, PostgreSQL
        # chose to scan every article of the article's tags, so a page cost more the more
        # articles its tags carry.
        shared_tags = (
            f"SELECT COUNT(*) FROM {listing} shared WHERE shared.article_id = "
            f"candidate.article_id AND shared.tag_id IN ({in_tags})"
        )
        not_pinned = (
            f" AND article_id NOT IN (SELECT {pin_to} FROM {pin_table} WHERE {pin_from} = %s)"
            if pinned
            else ""
        )
        branches.append(
            f"SELECT article_id, 0 AS pinned, ({shared_tags}) AS shared_tags, published_at "
            f"FROM (SELECT DISTINCT article_id, published_at FROM ({newest_of_each_tag}) newest) "
            f"candidate WHERE article_id <> %s{not_pinned}"
        )
        candidates = [value for tag_id in tag_ids for value in (tag_id, now, CANDIDATES_PER_TAG)]
        params += [*tag_ids, *candidates, article_id, *([article_id] if pinned else [])]
    if not branches:
        return []
    order = "pinned DESC, shared_tags DESC, published_at DESC, article_id DESC"
    ranked = f"SELECT * FROM ({' UNION ALL '.join(branches)}) ranked ORDER BY {order} LIMIT %s"
    sql = (
        f"SELECT {rows.columns(model, table, deferred)}, chosen.pinned, chosen.shared_tags "
        f"FROM ({ranked}) chosen INNER JOIN {table} ON {article_pk} = chosen.article_id "
        f"WHERE {is_published} ORDER BY "
        + ", ".join(f"chosen.{term}" for term in order.split(", "))
    )
    params += [limit, *published]
    return rows.objects(
        model, sql, params, model.objects.db, deferred, extra=["pinned", "shared_tags"]
    )
