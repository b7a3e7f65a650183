"""Pages of a long list of articles that cost the same at any depth, for Django's Paginator."""

from articles.listings import anchors as position_anchors
from articles.models import Article


class CountedArticles:
    """Published articles by publication time, newest first, paged through an index of
    ``entries``, each page read as teasers (``Article.objects.page_teasers()``).

    The count is a stored one (tag counts, publication days), not a COUNT of the list. A page
    reads only the ids of its articles, in the index: within 2 × STEP entries of either end,
    from that end; further in, from the nearest of the list's position ``anchors`` before
    the page (see articles.listings.anchors), oldest first. No page skips 2 × STEP index
    entries or more (under 1,000), where an OFFSET from the nearer end skipped up to half the
    list; pages near either end need no anchor, nor the query that finds it. ``entries`` are
    rows with ``published_at`` and the article's id as ``id_field``, filtered as the list is;
    ``anchors`` names the list's anchors as that module does: the anchor model and the list's
    key, e.g. ``(TagAnchor, tag.pk)``.
    """

    ordered = True

    def __init__(self, entries, total, id_field="pk", anchors=None):
        self.entries, self.total = entries, total
        self.id_field, self.anchors = id_field, anchors

    def for_listing(self):
        return self  # its pages are teasers already

    def count(self):
        return self.total

    def exists(self):
        return self.total > 0

    def __getitem__(self, page):
        start, stop = page.start or 0, min(page.stop, self.total)
        older = self.total - stop  # the list's entries older than the page's
        ids = None
        if min(start, older) >= 2 * position_anchors.STEP:
            # Far from both ends: from the nearest anchor, for one more query (an index probe).
            ids = self.from_anchor(older, stop - start, skip_at_most=min(start, older))
        if ids is None:
            ids = self.from_end(start, stop, older)
        return Article.objects.page_teasers(ids)

    def from_end(self, start, stop, older):
        """The page's ids read from the nearer end of the list's index."""
        if older < start:
            oldest_first = self.entries.order_by("published_at", self.id_field)
            return oldest_first.values(self.id_field)[older : older + stop - start]
        newest_first = self.entries.order_by("-published_at", f"-{self.id_field}")
        return newest_first.values(self.id_field)[start:stop]

    def from_anchor(self, older, size, skip_at_most):
        """The ids of ``size`` entries after the ``older`` oldest ones, read from the nearest
        anchor; None when reading from an end skips no more (``skip_at_most``)."""
        entries, position = self.entries, 0
        if self.anchors is not None:
            nearest = position_anchors.nearest(*self.anchors, older)
            if nearest:
                position, published_at = nearest
                entries = entries.filter(published_at__gte=published_at)
        skip = older - position
        if skip >= skip_at_most:
            return None
        ordered = entries.order_by("published_at", self.id_field).values(self.id_field)
        return ordered[skip : skip + size]
