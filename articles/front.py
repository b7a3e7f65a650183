"""The home page's front: the lead, the featured pieces and a block for each section.

Editors choose the lead and the featured pieces, in order ("À la une", the Feature model);
when they have chosen nothing that is live, the newest article leads. Everything comes from
one query (ArticleManager.front_page), the first page of the latest articles included.
"""

from dataclasses import dataclass, field

from articles.models import Article

# The lead and up to four featured pieces.
FEATURED = 5
# Teasers in each section's block.
PER_SECTION = 4


@dataclass
class Front:
    lead: object = None
    featured: list = field(default_factory=list)
    # Each section with its newest articles as ``section.teasers``, sections without any left out.
    sections: list = field(default_factory=list)
    # The newest articles that are not shown above: the home page's list of the latest.
    latest: list = field(default_factory=list)

    @property
    def articles(self):
        """Every article shown above the latest ones, which that list need not repeat."""
        return [self.lead, *self.featured] if self.lead else []


def front(sections, newest):
    """The front of the home page, with the ``newest`` latest articles that it does not show.

    The newest articles are read in the same query: as every row is a published article and
    the newest of all are among them, they are the newest rows. The first of them leads when
    editors have put nothing on the front page.
    """
    rows = list(Article.objects.front_page(sections, FEATURED, PER_SECTION + 1, newest))
    by_pk = {section.pk: section for section in sections}
    for article in rows:
        # The teasers' kickers, from the sections already read: no query per article.
        article.section = by_pk.get(article.section_id)
    latest = sorted(rows, key=lambda a: (a.published_at, a.pk), reverse=True)[:newest]
    chosen = sorted((a for a in rows if a.front is not None), key=lambda a: (a.front, a.pk))
    chosen = chosen[:FEATURED]
    lead = chosen[0] if chosen else next(iter(latest), None)
    result = Front(lead, chosen[1:])
    shown = {article.pk for article in result.articles}
    result.latest = [article for article in latest if article.pk not in shown]
    by_section = {}
    # One more than shown was read for each section: the fallback lead may be among them.
    for article in rows:
        if article.front is None and article.pk not in shown:
            by_section.setdefault(article.section_id, []).append(article)
    for section in sections:
        teasers = sorted(
            by_section.get(section.pk, []), key=lambda a: (a.published_at, a.pk), reverse=True
        )
        if teasers:
            section.teasers = teasers[:PER_SECTION]
            result.sections.append(section)
    return result
