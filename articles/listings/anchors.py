"""Position anchors: a page deep into a tag, an author or a section costs what page 1 does.

A page read its ids from the list's index by OFFSET from the nearer end, skipping up to half
of the list: for a tag of 416,000 articles (at a million), 58 ms of PostgreSQL against 3 ms
for page 1. Every ``STEP``-th article of each list, counted from the OLDEST end, is kept
here with its position; a page seeks by key to the nearest anchor before it and skips fewer
than 2 × STEP entries (articles.paging).

Why this way, rather than keeping each page's first key or rebuilding after each write:

- Counted from the oldest end, since new articles arrive at the newest, where they move no
  anchor: publishing today costs a look at the anchors around it and, past the last one, a
  probe of at most 2 × STEP index entries; now and then it adds an anchor.
- An anchor is a publication time with the number of the list's entries older than it, not
  a row: a page reads the index from that time on (``published_at >= t``, a plain range).
  A write before it (a backdated publication, an unpublished, deleted or retagged article)
  changes that number by one, so ``moved()`` shifts the positions of the anchors later than
  the changed time, in the transaction of the write, by one UPDATE of at most
  len(list) / STEP rows. Deleting them from that time on and numbering again would read the
  rest of the list on such a write (all of it for an old article; a deletion or an import
  writes once per article). Shifts add up exactly in any order, so a reader never sees a
  wrong position, and an anchor whose article left the list is still right.
- An entry added where the gap around it reaches 2 × STEP (an archive imported oldest
  last, or the newest end) gets an anchor STEP entries into that gap; gaps emptied by
  deletions are left alone: they only cost an anchor row.
- Adding an anchor reads the list, which another writer's uncommitted change would make
  wrong: every writer locks the list's own row (the tag, author or section) before it
  shifts or adds anchors, until it commits.

The positions count the entries with the published status, scheduled ones included: those
all lie at the newest end, past every article readers see, so they move no position a page
asks for. ``rebuild()`` numbers every list's anchors again after bulk writes that skip
signals (generate_archive, a restore).
"""

from django.db import connection
from django.db.models import F

from articles.listings.models import (
    AuthorAnchor,
    AuthorListing,
    SectionAnchor,
    TagAnchor,
    TagListing,
)

# Entries between two anchors as numbered; writes split a gap that grows to 2 × STEP, so no
# page skips as many as 1,000 entries of the index.
STEP = 500
PUBLISHED = "published"  # Article.Status.PUBLISHED, without importing the model here


def lists(anchor):
    """(the list's key field, its counted entries, their article id field) for ``anchor``."""
    from articles.models import Article

    if anchor is TagAnchor:
        return "tag", TagListing.objects.filter(published_at__isnull=False), "article_id"
    if anchor is AuthorAnchor:
        return "author", AuthorListing.objects.filter(published_at__isnull=False), "article_id"
    return "section", Article.objects.filter(status=PUBLISHED), "pk"


def nearest(anchor, value, position):
    """(position, published_at) of the list's anchor nearest at or before ``position``, or
    None: for ``value``'s list (a tag's id for TagAnchor), one probe of its position index.

    SQL written out, read through raw() so that the database routers choose the database:
    the ORM took 0.86 ms to build this one-row query, as long as a deep page's other work.
    """
    quote = connection.ops.quote_name
    # The list's key: the anchor's one foreign key (the tag, the author, the section).
    key = next(field for field in anchor._meta.fields if field.is_relation)
    pk = quote(anchor._meta.pk.column)
    at, published = (
        quote(anchor._meta.get_field(name).column) for name in ("position", "published_at")
    )
    sql = (
        f"SELECT {pk}, {at}, {published} FROM {quote(anchor._meta.db_table)} "
        f"WHERE {quote(key.column)} = %s AND {at} <= %s ORDER BY {at} DESC, {published} DESC "
        "LIMIT 1"
    )
    found = next(iter(anchor.objects.raw(sql, [value, position])), None)
    return found and (found.position, found.published_at)


def lock(anchor, value):
    """Hold the list's own row until the transaction ends (see the module's docstring).

    Asked on SQLite too, where it locks nothing (a write holds the whole database), so that a
    write costs the same queries on both databases.
    """
    key = lists(anchor)[0]
    owner = anchor._meta.get_field(key).related_model
    list(owner._default_manager.select_for_update().filter(pk=value).values_list("pk"))


def moved(anchor, value, before, after):
    """The list ``value`` of ``anchor`` lost its entry published at ``before`` and gained one
    published at ``after`` (None: no such entry): shift the anchors later than the changed
    times, and add one where the new entry made a gap of 2 × STEP.

    Called inside the transaction that changed the list.
    """
    if value is None or before == after:
        return
    key, _, _ = lists(anchor)
    lock(anchor, value)
    anchors = anchor.objects.filter(**{key: value})
    if before and after:
        # Only the anchors between the two times move: down when the entry moved past them
        # towards the newest end, up when it was backdated before them.
        low, high = sorted([before, after])
        anchors = anchors.filter(published_at__gt=low, published_at__lte=high)
        anchors.update(position=F("position") + (1 if after < before else -1))
    else:
        delta = -1 if before else 1
        anchors.filter(published_at__gt=before or after).update(position=F("position") + delta)
    if after:
        split(anchor, value, after)


def split(anchor, value, published_at):
    """After an entry published at ``published_at`` was added: add an anchor where that made
    the gap between the anchors around it, or past the last one, 2 × STEP entries or more."""
    key, entries, id_field = lists(anchor)
    entries = entries.filter(**{key: value})
    anchors = anchor.objects.filter(**{key: value})
    while True:
        previous = (
            anchors.filter(published_at__lte=published_at)
            .order_by("-position", "-published_at")
            .values_list("position", "published_at")
            .first()
        )
        following = (
            anchors.filter(published_at__gt=published_at)
            .order_by("position", "published_at")
            .values_list("position", flat=True)
            .first()
        )
        position, start = previous or (0, None)
        gap = entries if start is None else entries.filter(published_at__gte=start)
        times = gap.order_by("published_at", id_field).values_list("published_at", flat=True)
        if following is not None:
            if following - position < 2 * STEP:
                return
        elif not times[2 * STEP - 1 : 2 * STEP]:
            return
        time = times[STEP]
        if time == start:
            return  # 2 × STEP articles of the very same time: nothing to split
        older = position + gap.filter(published_at__lt=time).count()
        # bulk_create: no signal renews the page cache for a row no page shows.
        anchor.objects.bulk_create(
            [anchor(**{key + "_id": value}, position=older, published_at=time)]
        )


def rebuild(anchor=None, value=None):
    """Remake the anchors of every list, of every list of ``anchor``, or of its list ``value``:
    every STEP-th entry from the oldest, numbered in one query.

    Written out: a QuerySet.delete() would first read every row, for the signals the cache
    and the replicas listen to on every model (no page shows these rows).
    """
    from articles.models import Article

    for model in [anchor] if anchor else [TagAnchor, AuthorAnchor, SectionAnchor]:
        key, table = f"{lists(model)[0]}_id", model._meta.db_table
        if model is SectionAnchor:
            source, id_column, where, params = (
                Article._meta.db_table,
                "id",
                "status = %s",
                [PUBLISHED],
            )
        else:
            listing = TagListing if model is TagAnchor else AuthorListing
            source, id_column = listing._meta.db_table, "article_id"
            where, params = "published_at IS NOT NULL", []
        of_list, of_list_params = f"{key} IS NOT NULL", []
        if value is not None:
            lock(model, value)
            of_list, of_list_params = f"{key} = %s", [value]
        # Every STEP-th entry's time, with the number of entries older than that time.
        numbered = (
            f"SELECT {key} AS list_id, published_at, "
            f"ROW_NUMBER() OVER (PARTITION BY {key} ORDER BY published_at, {id_column}) AS n, "
            f"RANK() OVER (PARTITION BY {key} ORDER BY published_at) - 1 AS older "
            f"FROM {source} WHERE {where} AND {of_list}"
        )
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE {of_list}", of_list_params)
            cursor.execute(
                f"INSERT INTO {table} ({key}, position, published_at) "
                f"SELECT list_id, older, published_at FROM ({numbered}) numbered "
                "WHERE n > 1 AND (n - 1) %% %s = 0",
                [*params, *of_list_params, STEP],
            )
