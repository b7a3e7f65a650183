from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import timeuntil

from articles import dates
from articles.links import absolute_url, share_links

register = template.Library()


@register.inclusion_tag("includes/share.html")
def share_block(article):
    """The "Share this article" block, with the canonical URL from SITE_URL."""
    url = absolute_url(article.get_absolute_url())
    return {"title": article.title, "url": url, "links": share_links(article.title, url)}


@register.simple_tag
def thumbnail(article, sizes, eager=False):
    """``{% thumbnail article "(min-width: 56rem) 12rem, 7rem" %}``: a teaser's picture.

    The renditions made at upload, chosen by the browser from ``sizes``; width and height
    keep its place, so nothing shifts as it loads; it waits until it is near the screen
    unless the page asks for it first (``eager``). A tag, as teaser lists show a dozen.
    """
    thumb = article.hero_thumbnail
    size = format_html(' width="{}" height="{}"', thumb.width, thumb.height) if thumb.width else ""
    loading = ' fetchpriority="high"' if eager else ' loading="lazy"'
    if not article.hero_renditions:
        return format_html(
            '<picture class="thumb"><img src="{}" alt="{}"{}{} decoding="async"></picture>',
            thumb.url,
            thumb.alt,
            size,
            mark_safe(loading),  # Safe: one of two literals above.
        )
    return format_html(
        '<picture class="thumb"><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" alt="{}"{}{} decoding="async"></picture>',
        article.hero_srcset_webp,
        sizes,
        thumb.url,
        article.hero_srcset_jpeg,
        sizes,
        thumb.alt,
        size,
        mark_safe(loading),  # Safe: one of two literals above.
    )


@register.filter
def duration(value):
    """A ``timedelta`` in the reader's words: "15 minutes", "1 heure"."""
    now = timezone.now()
    return timeuntil(now + value, now)


@register.filter(expects_localtime=True)
def house_date(value, format):
    """``{{ article.published_at|house_date:"j F Y · H:i" }}``: "1er décembre 2024 · 08:00"."""
    return dates.house_date(value, format) if value else ""


@register.filter
def machine_time(value):
    """``{{ update.posted_at|machine_time }}``: the local time for a ``datetime`` attribute.

    To the second: HTML's dates take at most three digits of a second, and ``|date:"c"``
    prints the six of a time taken from ``now()``.
    """
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


@register.simple_tag
def house_time(value):
    """``{% house_time article.published_at %}``: the ``<time>`` element of a dated item.

    A tag rather than an included template: teaser lists show a dozen of them, and an include
    costs a template render each.
    """
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        machine_time(local),
        dates.house_date(local, "j F Y · H:i"),
    )


@register.filter
def month_archive_title(month):
    """``{{ month|month_archive_title }}``: "Archives d’octobre 2024", "Archives de mars 2024"."""
    return dates.month_archive_title(month)


@register.simple_tag(takes_context=True)
def byline_authors(context, article):
    """``{% byline_authors article as authors %}``: the article's (prefetched) authors, less
    the one whose page lists it (``page_author``), whom each teaser need not name again."""
    page_author = context.get("page_author")
    return [author for author in article.byline if author != page_author]
