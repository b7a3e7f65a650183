"""Pages of a long list of articles that cost the same at any depth, for Django's Paginator."""

from articles.listings import anchors as position_anchors


class CountedArticles:
    """``articles`` by publication time, newest first, paged through an index of ``entries``.

    The count is a stored one (tag counts, publication days), not a COUNT of the list. A page
    reads only the ids of its articles, in the index: the first pages from the newest end;
    deeper ones from the nearest of the list's position ``anchors`` before them (see
    articles.listings.anchors), oldest first. No page skips 2 × STEP index entries or more
    (under 1,000), where an OFFSET from the nearer end skipped up to half the list. ``entries`` are
    rows with ``published_at`` and the article's id as ``id_field``, filtered as the list is.
    """

    ordered = True

    def __init__(self, articles, entries, total, id_field="pk", anchors=None):
        self.articles, self.entries, self.total = articles, entries, total
        self.id_field, self.anchors = id_field, anchors

    def for_listing(self):
        return CountedArticles(
            self.articles.for_listing(), self.entries, self.total, self.id_field, self.anchors
        )

    def count(self):
        return self.total

    def exists(self):
        return self.total > 0

    def __getitem__(self, page):
        start, stop = page.start or 0, min(page.stop, self.total)
        order = ("-published_at", f"-{self.id_field}")
        ids = self.entries.order_by(*order).values(self.id_field)[start:stop]
        if start >= 2 * position_anchors.STEP:
            # Oldest first from the nearest anchor at or before the page's oldest article:
            # one more query, an index probe, for any page past the first 2 × STEP entries.
            anchored = self.from_anchor(self.total - stop, stop - start, skip_at_most=start)
            ids = ids if anchored is None else anchored
        return self.articles.filter(pk__in=ids)

    def from_anchor(self, older, size, skip_at_most):
        """The ids of ``size`` entries after the ``older`` oldest ones, read from the nearest
        anchor; None when reading from the newest end skips no more (``skip_at_most``)."""
        entries, position = self.entries, 0
        if self.anchors is not None:
            nearest = (
                self.anchors.filter(position__lte=older)
                .order_by("-position", "-published_at", "-article_id")
                .values_list("position", "published_at", "article_id")
                .first()
            )
            if nearest:
                position = nearest[0]
                entries = position_anchors.since(entries, nearest[1:], self.id_field)
        skip = older - position
        if skip >= skip_at_most:
            return None
        ordered = entries.order_by("published_at", self.id_field).values(self.id_field)
        return ordered[skip : skip + size]
