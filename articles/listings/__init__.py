"""The listing index: each tag's and author's articles by publication time, and tag counts.

Reader pages ask it instead of joining taggit's table to the articles, whose cost grows with
how many articles carry a tag (41,626 for the biggest of a 100,000-article archive):

- the related-articles sidebar ranks a bounded set of candidates, each tag's newest articles,
  read through the index on (tag, publication time). This was chosen over keeping every
  article's ranking at write time: publishing one article in a big tag would change the
  sidebars of thousands of others, and scheduled articles appear without any save to do it.
  The price is that an old article whose shared tags are all popular may be left out for
  newer ones; a rare tag's articles are all candidates. Each worker keeps the candidates it
  read until the next edit (TagCandidates), and ranks them in Python.
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

import heapq
from datetime import UTC, datetime
from functools import lru_cache

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
# How many tags, and candidates of them, a worker keeps at most (TagCandidates): the 23,737
# candidates of the 300 tags of a generated 100,000-article archive took 13 MB.
KEPT_TAGS = 5_000
KEPT_CANDIDATES = 25_000
# The sidebar's articles a worker keeps read (TagCandidates.teasers), about 1.5 kB each.
KEPT_TEASERS = 5_000
# Called with the kept articles a sidebar shows without reading them, which their reading
# would have announced (post_init): registered by the edge app, which names them in the
# page's surrogate keys, and which this one does not import.
SHOWN_KEPT = []
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
    """SQL: the ``column``, article ids and publication times of the ``listing`` rows whose
    ``column`` is the first parameter, published by the second, newest first, as many as the
    third: a bounded read, backwards, of the listing's (column, published_at, article_id)
    index."""
    quote = connection.ops.quote_name
    return (
        f"SELECT {quote(column)}, article_id, published_at FROM {quote(listing._meta.db_table)} "
        f"WHERE {quote(column)} = %s AND published_at <= %s "
        "ORDER BY published_at DESC, article_id DESC LIMIT %s"
    )


def related(model, deferred, article_id, tag_ids, limit, pinned=True, candidates=None):
    """The published articles (``model``, without the ``deferred`` fields) beside the article
    ``article_id``: those it pins first (when ``pinned`` says it has any), newest first, then
    those sharing most of these tags, then newest, ranked among each tag's CANDIDATES_PER_TAG
    newest articles and no others (``candidates``: a worker's ``TagCandidates``, or read afresh).

    Then one statement reads the pins and the chosen candidates that ``candidates`` does not
    keep yet (``TagCandidates.teasers``), none when it keeps them all and there is no pin. The
    article table's own rule (``published()``) is checked again on the rows read.
    """
    now = timezone.now()
    if candidates is None:
        candidates = TagCandidates()
    ranked = candidates.ranked(article_id, tag_ids, limit, now) if tag_ids else []
    kept = candidates.teasers
    by_id = {candidate: kept[candidate] for _, _, candidate in ranked if candidate in kept}
    for show in SHOWN_KEPT:
        show(by_id.values())
    missing = [candidate for _, _, candidate in ranked if candidate not in by_id]
    found = []
    if pinned or missing:
        published = [model.Status.PUBLISHED, connection.ops.adapt_datetimefield_value(now)]
        params = [article_id, *published] if pinned else []
        if missing:
            params += [*missing, *published]
        sql = related_sql(model, tuple(deferred), pinned, len(missing))
        found = rows.objects(model, sql, params, model.objects.db, deferred, extra=["pinned"])
    pinned_articles = sorted(
        (article for article in found if article.pinned),
        key=lambda article: (article.published_at, article.pk),
        reverse=True,
    )
    read = {article.pk: article for article in found if not article.pinned}
    candidates.keep_teasers(read)
    by_id.update(read)
    shown = {article.pk for article in pinned_articles}
    chosen = [by_id[pk] for _, _, pk in ranked if pk in by_id and pk not in shown]
    return [*pinned_articles, *chosen][:limit]


@lru_cache(maxsize=32)
def related_sql(model, deferred, pinned, ranked):
    """The statement of ``related()``: the pins of an article when ``pinned``, and ``ranked``
    chosen articles by id. Written once per process rather than for each sidebar (about
    0.1 ms of its 0.6 ms of CPU)."""
    quote = connection.ops.quote_name
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
    columns = rows.columns(model, table, deferred)
    branches = []
    if pinned:
        branches.append(
            f"SELECT {columns}, 1 AS pinned FROM {pin_table} "
            f"INNER JOIN {table} ON {article_pk} = {pin_to} "
            f"WHERE {pin_from} = %s AND {is_published}"
        )
    if ranked:
        marks = ", ".join(["%s"] * ranked)
        branches.append(
            f"SELECT {columns}, 0 AS pinned FROM {table} "
            f"WHERE {article_pk} IN ({marks}) AND {is_published}"
        )
    return " UNION ALL ".join(branches)


class TagCandidates:
    """What the sidebar ranks: each tag's CANDIDATES_PER_TAG newest published articles, with
    their publication times and tags. The tags a page needs that are not here yet are read in
    one statement (``candidate_rows()``).

    Each worker keeps one under the content generation of the page being built
    (``articles.views.kept_candidates``), which every publication, unpublication, retagging
    and deletion renews, and a tag's candidates only until its next scheduled article is
    due. A page of the long tail then reads its few chosen articles by id, not the taggings
    of a few hundred candidates: the busiest tags, whose candidates cost most to read, are
    those most pages share. Past KEPT_TAGS tags or KEPT_CANDIDATES candidates, a worker
    begins again with none.
    """

    def __init__(self):
        self.tags = {}  # tag id: (its candidates' ids, when its next scheduled one is due)
        self.articles = {}  # candidate id: (its publication time, its tags' ids)
        self.teasers = {}  # candidate id: the article as related() read it, for its sidebar

    def keep_teasers(self, articles):
        """Keep these ``articles`` (by id), as related() read them, beside those kept. Past
        KEPT_TEASERS, begin again with these.

        The sidebars of a busy tag's long tail show its same few newest articles: read once
        per generation, not on every page. Like the candidates, they are what every article
        page built under the generation would read, as no article changes without renewing it.
        """
        if len(self.teasers) + len(articles) > KEPT_TEASERS:
            self.teasers = {}
        self.teasers.update(articles)

    def ranked(self, article_id, tag_ids, limit, now):
        """The ``limit`` best (tags shared, publication time, id) of the candidates of
        ``tag_ids`` but the article ``article_id``: most tags shared first, then newest."""
        tags, articles = self.read(tag_ids, now)
        wanted = frozenset(tag_ids)
        candidates = {candidate for tag_id in tag_ids for candidate in tags[tag_id][0]}
        candidates.discard(article_id)
        return heapq.nlargest(
            limit,
            (
                (
                    sum(map(wanted.__contains__, articles[candidate][1])),
                    articles[candidate][0],
                    candidate,
                )
                for candidate in candidates
            ),
        )

    def read(self, tag_ids, now):
        """The kept tags and candidates, those of ``tag_ids`` read first where missing or
        due. Replaced whole when full: a thread ranking meanwhile keeps the ones it had."""
        tags, articles = self.tags, self.articles
        missing = [
            tag_id
            for tag_id in tag_ids
            if tag_id not in tags or (tags[tag_id][1] is not None and tags[tag_id][1] <= now)
        ]
        if not missing:
            return tags, articles
        if len(tags) >= KEPT_TAGS or len(articles) >= KEPT_CANDIDATES:
            tags, articles = self.tags, self.articles = {}, {}
            missing = list(tag_ids)
        found, due = {tag_id: [] for tag_id in missing}, {}
        for tag_id, candidate, published_at, its_tags in candidate_rows(missing, now):
            if candidate is None:
                due[tag_id] = database_time(published_at)
            else:
                found[tag_id].append(candidate)
                if candidate not in articles:
                    # Tuples of ints and times, which the garbage collector stops tracking:
                    # sets would have it walk every kept candidate again at each full pass.
                    articles[candidate] = (published_at, tuple(tag_ids_of(its_tags)))
        for tag_id, candidates in found.items():
            tags[tag_id] = (tuple(candidates), due.get(tag_id))
        return tags, articles


def candidate_rows(tag_ids, now):
    """Rows of (tag id, candidate id, its publication time, its tags' ids: ``tag_ids_of()``)
    for each of the CANDIDATES_PER_TAG newest articles published by ``now`` of each tag, then
    (tag id, None, when its next scheduled article is due, None) for the tags that have one. One
    statement: each tag's candidates a bounded read, backwards, of the (tag, published_at,
    article) index, their tags read through (article, tag)."""
    listing = connection.ops.quote_name(TagListing._meta.db_table)
    newest = " UNION ALL ".join(
        f"SELECT * FROM ({recent(TagListing, 'tag_id')}) tag_{n}" for n in range(len(tag_ids))
    )
    in_tags = ", ".join(["%s"] * len(tag_ids))
    # Each candidate's tags in one value: a row each, not one per tagging (over a thousand for
    # four big tags), read in half the time on PostgreSQL.
    aggregate = "array_agg" if connection.vendor == "postgresql" else "group_concat"
    sql = (
        f"SELECT newest.tag_id, newest.article_id, newest.published_at, {aggregate}(its.tag_id) "
        f"FROM ({newest}) newest INNER JOIN {listing} its ON its.article_id = newest.article_id "
        "GROUP BY newest.tag_id, newest.article_id, newest.published_at "
        # The end of each tag's range of the same index; closed, so that a prepared
        # statement's generic plan reads it there too (see scheduled_taggings()).
        f"UNION ALL SELECT tag_id, NULL, MIN(published_at), NULL FROM {listing} "
        f"WHERE tag_id IN ({in_tags}) AND published_at > %s AND published_at < %s "
        "GROUP BY tag_id"
    )
    now, end = (connection.ops.adapt_datetimefield_value(time) for time in (now, END_OF_TIME))
    params = [value for tag_id in tag_ids for value in (tag_id, now, CANDIDATES_PER_TAG)]
    with rows.cursor(TagListing.objects.db) as cursor:
        cursor.execute(sql, [*params, *tag_ids, now, end])
        # The candidates' times as the database gives them, ranked among themselves as its
        # ORDER BY would: converted, they had cost as much as the statement (SQLite).
        return cursor.fetchall()


def tag_ids_of(aggregated):
    """The tag ids of a candidate's row: a list on PostgreSQL, text on SQLite."""
    return aggregated if isinstance(aggregated, list) else map(int, aggregated.split(","))


def database_time(value):
    """A publication time read by a cursor, as the ORM would read it: SQLite gives naive
    times, or text past MIN()."""
    field = TagListing._meta.get_field("published_at")
    for converter in rows.column_converters(connection, field.get_col(field.model._meta.db_table)):
        value = converter(value, field, connection)
    return value
