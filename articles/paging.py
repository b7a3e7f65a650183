"""Pages of a long list of articles that cost the same at any depth, for Django's Paginator."""


class CountedArticles:
    """``articles`` by publication time, newest first, paged through an index of ``entries``.

    The count is a stored one (tag counts, publication days), not a COUNT of the list. A page
    reads only the ids of its articles, in the index, from the newest end or, past the middle,
    from the oldest, so no page skips more than half the list's index entries; page 1 and the
    last page cost the same. ``entries`` are rows with ``published_at`` and the article's id
    as ``id_field``, filtered as the list is.
    """

    ordered = True

    def __init__(self, articles, entries, total, id_field="pk"):
        self.articles, self.entries, self.total, self.id_field = articles, entries, total, id_field

    def for_listing(self):
        return CountedArticles(self.articles.for_listing(), self.entries, self.total, self.id_field)

    def count(self):
        return self.total

    def exists(self):
        return self.total > 0

    def __getitem__(self, page):
        start, stop = page.start or 0, min(page.stop, self.total)
        if start > self.total - stop:
            order, window = (
                ("published_at", self.id_field),
                slice(self.total - stop, self.total - start),
            )
        else:
            order, window = ("-published_at", f"-{self.id_field}"), slice(start, stop)
        ids = self.entries.order_by(*order).values(self.id_field)[window]
        return self.articles.filter(pk__in=ids)
