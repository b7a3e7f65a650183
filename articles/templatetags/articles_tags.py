import html
from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timesince import timeuntil
from django.utils.translation import get_language, gettext

from articles import dates, shells
from articles.cache import KeptRenderings
from articles.links import absolute_url, route_url, routing, share_links, slug_url
from articles.models import Section

register = template.Library()


def escape(text):
    """``text`` escaped for HTML, as Django's escape() does, for the f-strings of this module
    that are marked safe whole: Django's also looks for lazy strings among its arguments and
    wraps its result as safe, which cost a teaser list a tenth of its time (a dozen each)."""
    return html.escape(str(text))


@register.simple_tag
def share_block(article):
    """``{% share_block article %}``: the "Share this article" block, with the canonical URL
    from SITE_URL.

    A tag rather than an included template: its translations, loop and escaping cost every
    page built whole 0.2 ms, a twentieth of a crawler's visit. The translations are written
    unescaped, as ``{% translate %}`` writes them.
    """
    url = absolute_url(article.get_absolute_url())
    title, link = escape(article.title), escape(url)
    links = "".join(
        f'<li><a class="share__link share__link--{network}" href="{escape(href)}" '
        f'rel="noopener noreferrer">{escape(label)}</a></li>'
        for network, label, href in share_links(article.title, url)
    )
    copied, refused = (
        gettext("Link copied"),
        gettext("Your browser refused to copy: the link is selected above, copy it from there."),
    )
    # Safe: every value but the translations escaped above.
    return mark_safe(
        '<section class="share" aria-labelledby="share-title">\n'
        f'  <h2 id="share-title" class="share__title">{gettext("Share this article")}</h2>\n'
        '  <p class="share__url">\n'
        f'    <label for="share-url">{gettext("Link to this article")}</label>\n'
        f'    <input id="share-url" type="url" value="{link}" readonly>\n'
        "  </p>\n"
        '  <p class="share__actions">\n'
        f'    <a class="button" href="{link}" data-copy-link>{gettext("Copy link")}</a>\n'
        f'    <button class="button" type="button" data-web-share data-title="{title}" '
        f'data-url="{link}" hidden>{gettext("Share…")}</button>\n'
        f'    <span class="share__status" role="status" data-copied-message="{copied}" '
        f'data-refused-message="{refused}"></span>\n'
        "  </p>\n"
        '  <ul class="share__links">\n'
        f"    {links}\n"
        "  </ul>\n"
        "</section>\n"
    )


@register.simple_tag
def render_once(template_name):
    """``{% render_once "includes/site_footer.html" %}``: a part of every page that shows the
    same to everyone, rendered once per worker rather than on every page (the footer's links
    and words cost 1 ms a page).

    The template sees ``SITE_NAME`` and ``SITE_URL`` only, and may depend on nothing else
    but the language, the URL configuration, the script prefix and the static files'
    settings: its HTML is kept for each of these. In debug mode it is rendered each time, so
    that the development server shows a template as soon as it is edited.
    """
    if settings.DEBUG:
        return rendered_once.__wrapped__(template_name, settings.SITE_NAME, settings.SITE_URL)
    return rendered_once(
        template_name,
        settings.SITE_NAME,
        settings.SITE_URL,
        get_language(),
        *routing(),
        settings.STATIC_URL,
        settings.STORAGES["staticfiles"]["BACKEND"],
    )


@lru_cache(maxsize=128)
def rendered_once(template_name, site_name, site_url, *active):
    # ``active``: the language, URL configuration, script prefix and static files' settings
    # that the template engine reads itself, there only to key the cache.
    html = render_to_string(template_name, {"SITE_NAME": site_name, "SITE_URL": site_url})
    return mark_safe(html)  # Safe: a template's output, escaped by the template engine.


@register.simple_tag(takes_context=True)
def section_menu(context):
    """``{% section_menu %}``: the menu's item for each of the page's ``sections``, the page's
    own ``section`` marked. A tag rather than a loop in the template, which cost an article
    page 0.75 ms for eight sections (looking up a ``section`` that it does not have); and
    written once per process for each menu and mark, as escaping and linking fifteen
    sections still cost 0.3 ms of every page."""
    current = getattr(context.get("section"), "pk", None)
    sections = tuple((item.pk, item.slug, item.name) for item in context.get("sections") or ())
    return menu_items(sections, current, *routing())


@lru_cache(maxsize=256)
def menu_items(sections, current, *active):
    # ``active``: the URL configuration and script prefix that links depend on, there only to
    # key the cache.
    items = []
    for pk, slug, name in sections:
        mark = ' aria-current="page"' if current is not None and pk == current else ""
        url = escape(Section(pk=pk, slug=slug).get_absolute_url())
        items.append(f'<li><a href="{url}"{mark}>{escape(name)}</a></li>\n      ')
    return mark_safe("".join(items))  # Safe: the URLs and names are escaped, the rest literal.


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


@register.simple_tag
def route(viewname):
    """``{% route "articles:home" %}``: what ``{% url %}`` writes for a route without
    arguments, reversed once per process (route_url): every page's layout names four."""
    return route_url(viewname)


@register.simple_tag(takes_context=True)
def page_address(context, number):
    """``{% page_address page_obj.next_page_number %}``: page ``number`` of this list, at the
    address the page cache makes canonical (articles.cache.canonical_page): the first page's
    without a number; the other parameters kept, such as a search's words."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    if number > 1:
        query["page"] = number
    return f"?{query.urlencode()}" if query else request.path


@register.simple_tag(takes_context=True)
def page_number_title(context):
    """``{{ tag.name }}{% page_number_title %}``: " – page 2" in the title of a list's pages
    past the first, so that each page of the list has a title of its own."""
    page = context.get("page_obj")
    if page is None or page.number == 1:
        return ""
    return " – " + gettext("page %(number)s") % {"number": page.number}


@register.filter
def tag_url(tag):
    """``{{ tag|tag_url }}``: the tag's page, as ``{% url 'articles:tag' tag.slug %}`` writes
    it, with the route reversed once per process (slug_url) rather than once per tag: the home
    page's dozen most covered tags cost 0.9 ms so."""
    return slug_url("articles:tag", tag.slug)


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
    costs a template render each. The time zone is looked up once (each lookup costs as much
    as writing the date), and the ISO time is written without format_html's escaping.
    """
    local = timezone.localtime(value)
    words = conditional_escape(dates.house_date(local, "j F Y · H:i"))
    # Safe: isoformat() writes digits, "-", ":", "+" and "T" only; the words are escaped.
    return mark_safe(f'<time datetime="{local.isoformat(timespec="seconds")}">{words}</time>')


@register.simple_tag
def related_teaser(article):
    """``{% related_teaser article %}``: a related article in the article page's sidebar, its
    picture, time and title.

    A tag rather than an included template, as ``teaser``: the sidebar's five includes cost
    the page 2 ms. It ends with the line break that the template it replaced ended with.
    Kept by the worker as teasers are: the articles sharing a busy tag's sidebar are its
    newest, the same on every page of the archive's long tail that carries the tag.
    """
    return kept_teaser(render_related_teaser, article)


def render_related_teaser(article):
    picture = thumbnail(article, "6rem") if article.shows_thumbnail else ""
    return format_html(
        '{}{}<a href="{}">{}</a>\n',
        picture,
        house_time(article.published_at),
        article.get_absolute_url(),
        article.title,
    )


# The archive each kind of period links to, how many of the year, month and day its address
# takes, the label it shows, and the fuller name given to assistive technologies where the
# label alone says little (a day's "3").
ARCHIVE_LINKS = {
    "year": ("articles:archive-year", 1, "Y", None),
    "month": ("articles:archive-month", 2, "F", None),
    "day": ("articles:archive-day", 3, "j", "j F Y"),
}


@register.simple_tag
def archive_links(periods, kind):
    """``{% archive_links date_list "day" %}``: a list item linking to the archive of each
    year, month or day (``kind``) of ``periods``.

    A tag rather than a loop in the template: a month's 31 days cost its archive page 3.2 ms
    as ``{% url %}`` and filters. Each link is written once per process, language and URL
    configuration; the archive's days are a few thousand.
    """
    active = (get_language(), *routing())
    return mark_safe("".join(archive_link(period, kind, *active) for period in periods))


@lru_cache(maxsize=8192)
def archive_link(period, kind, *active):
    # ``active``: the language, URL configuration and script prefix that the label and the
    # link depend on, there only to key the cache.
    viewname, parts, label, name = ARCHIVE_LINKS[kind]
    url = escape(reverse(viewname, args=(period.year, period.month, period.day)[:parts]))
    described = f' aria-label="{escape(dates.house_date(period, name))}"' if name else ""
    # Safe: the address and the words are escaped.
    return f'<li><a href="{url}"{described}>{escape(dates.house_date(period, label))}</a></li>'


@register.filter
def month_archive_title(month):
    """``{{ month|month_archive_title }}``: "Archives d’octobre 2024", "Archives de mars 2024"."""
    return dates.month_archive_title(month)


# The teaser picture's layout width in each kind of teaser, for the browser's choice of rendition.
TEASER_SIZES = {
    "lead": "(min-width: 72rem) 30rem, (min-width: 56rem) 35vw, 100vw",
    "card": "(min-width: 56rem) 16rem, (min-width: 36rem) 45vw, 100vw",
    "row": "(min-width: 56rem) 12rem, 7rem",
}


# Teasers this worker rendered lately, by what they show (see teaser()): about 1 KB each.
KEPT_TEASERS = KeptRenderings(4096)


@register.simple_tag(takes_context=True)
def teaser(context, article, lead=False, card=False, eager=False, hide_section=False):
    """``{% teaser article card=True %}``: an article in a list, a card or the front's lead.

    Python rather than an included template: the home page shows 45 teasers, and as an
    include each cost 0.3 ms, a third of a listing page's time. ``hide_section`` (or the
    page's ``hide_section``) leaves out the kicker on a section's own page.

    Each worker keeps the teasers it rendered, under what the article's stored page is valid
    for (``shells.key()``: its last save, and a stamp that whatever it names bumps when renamed,
    the code, the settings pages show and the language) with the teaser's options: a page
    built again after an edit renders only the teasers of the articles that changed.
    """
    hide_section = bool(hide_section or context.get("hide_section"))
    page_author = context.get("page_author")
    return kept_teaser(render_teaser, article, lead, card, eager, hide_section, page_author)


def kept_teaser(render, article, *options):
    """``render(article, *options)``, kept by the worker under ``shells.key()`` of the article
    with the rendering and its options (an author compares by primary key); rendered
    each time for an article read without what that key needs."""
    if not shells.keyed(article):
        return render(article, *options)
    key = (render, article.pk, shells.key(article), *options)
    return KEPT_TEASERS.get(key, lambda: render(article, *options))


def render_teaser(article, lead, card, eager, hide_section, page_author):
    # Written with escape() and f-strings: seven nested format_html() calls were half of a
    # teaser's 68 µs, and a worker's first home page renders 45 of them.
    kind = "lead" if lead else "card" if card else "row"
    classes = "teaser" + {"lead": " teaser--lead", "card": " teaser--card", "row": ""}[kind]
    picture = ""
    if article.shows_thumbnail:
        classes += " teaser--pictured"
        picture = thumbnail(article, TEASER_SIZES[kind], eager=lead or (eager and not card))
    kicker = ""
    if article.section and not hide_section:
        kicker = f'<p class="kicker">{escape(article.section.name)}</p>'
    heading = "h3" if card else "h2"
    title_class = "teaser__title teaser__title--lead" if lead else "teaser__title"
    meta = house_time(article.published_at)
    if article.dateline:
        meta = f"{meta} · {escape(article.dateline)}"
    text = (
        f'{kicker}<{heading} class="{title_class}"><a href="{escape(article.get_absolute_url())}">'
        f'{escape(article.title)}</a></{heading}><p class="teaser__meta">{meta}</p>'
    )
    if not card:
        byline = render_byline(article, page_author)
        text += f'<p class="teaser__standfirst">{escape(article.standfirst)}</p>{byline}'
    # Safe: what editors typed is escaped above; the picture, time and byline are safe HTML.
    return mark_safe(
        f'<article class="{classes}">{picture}<div class="teaser__text">{text}</div></article>'
    )


@register.simple_tag(takes_context=True)
def byline(context, article):
    """``{% byline article %}``: "Par A, B et C", each name linking to the author's page.

    The author whose page lists the article (``page_author``) is not named again: that
    page's teasers say "Avec" the others.
    """
    return render_byline(article, context.get("page_author"))


def render_byline(article, page_author):
    authors = [author for author in article.byline if author != page_author]
    if not authors:
        return ""
    # escape() and f-strings rather than format_html(), as in render_teaser().
    links = [
        f'<a href="{escape(author.get_absolute_url())}" rel="author">{escape(author.name)}</a>'
        for author in authors
    ]
    names = links[-1]
    if len(links) > 1:
        # Not in the f-string: makemessages finds no call written inside one.
        conjunction = escape(gettext("and"))
        names = f"{', '.join(links[:-1])} {conjunction} {names}"
    lead = escape(gettext("With") if page_author else gettext("By"))
    # Safe: the authors' names and addresses are escaped above.
    return mark_safe(f'<p class="byline">{lead} {names}</p>')


@register.simple_tag(takes_context=True)
def fresh(context, template_name):
    """``{% fresh "includes/site_nav.html" %}``: an include that stays fresh in a stored
    article page (articles.shells), for what follows other content than the article's own."""
    return mark_safe(shells.render_fresh(template_name, context))
