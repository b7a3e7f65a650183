"""What an article page shows of its live coverage, read once per article instance."""

from typing import NamedTuple

from live.models import PAGE_SIZE, LiveCoverage


class LivePage(NamedTuple):
    coverage: LiveCoverage
    updates: list  # the latest PAGE_SIZE, newest first
    next_update: object  # the first of the earlier ones, or None
    key_events: list  # every key event, newest first
    shown: set  # the ids of the updates on the page

    @property
    def earlier_url(self):
        return self.next_update and self.coverage.earlier_url(self.next_update)


def live_page(article):
    """The live page of ``article``, or None: one query for an ordinary article, three for a
    live one (its coverage, its latest updates, its key events), whatever their number.

    Kept on the instance: the page's JSON-LD and its body both ask.
    """
    if not hasattr(article, "_live_page"):
        article._live_page = None
        if not getattr(article, "has_live_coverage", True):  # the article page's flag
            return None
        coverage = LiveCoverage.objects.filter(pk=article.pk).first()
        if coverage is not None:
            coverage.article = article
            rows = list(coverage.visible_updates()[: PAGE_SIZE + 1])
            updates = rows[:PAGE_SIZE]
            article._live_page = LivePage(
                coverage,
                updates,
                rows[PAGE_SIZE] if len(rows) > PAGE_SIZE else None,
                list(
                    coverage.updates.key_events().only(
                        "pk", "coverage", "title", "body", "posted_at"
                    )
                ),
                {update.pk for update in updates},
            )
    return article._live_page
