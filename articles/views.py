import copy
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import (
    ArchiveIndexView,
    DateDetailView,
    DayArchiveView,
    ListView,
    MonthArchiveView,
    YearArchiveView,
)

from articles import dayindex, front, listings, rows, search, shells
from articles.cache import KeptByGeneration, is_anonymous
from articles.context_processors import menu_sections
from articles.forms import SearchForm
from articles.models import (
    SHOWN_ARTICLES,
    Article,
    Author,
    AuthorAnchor,
    AuthorListing,
    Correction,
    SectionAnchor,
    TagAnchor,
    TagListing,
    known_empty,
    prefetch_bylines,
    prefetch_bylines_and_tags,
    prefetch_tags,
)
from articles.paging import CountedArticles
from articles.preview import QUERY_PARAMETER, previewed_pk


def sees_unpublished(request):
    """Staff with article rights see drafts and scheduled articles at their addresses."""
    # Readers without a session cookie skip the session lookup, which would vary the page.
    return not is_anonymous(request) and request.user.has_perm("articles.view_article")


class PublishedArticleMixin:
    """What every reader listing shares: published articles, newest first, paginated."""

    model = Article
    date_field = "published_at"
    month_format = "%m"
    day_format = "%d"
    paginate_by = 12

    def get_queryset(self):
        return Article.objects.published()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except OverflowError:
            # The first or last day of the calendar (year 1, 9999-12-31) has no day after it,
            # or no UTC equivalent: the generic date views overflow instead of finding nothing.
            raise Http404(_("Date out of range")) from None

    def paginate_queryset(self, queryset, page_size):
        # Teasers for the page shown only: the archives' next/previous lookups reuse the queryset.
        return super().paginate_queryset(queryset.for_listing(), page_size)


class TeaserPageMixin:
    """A page of article teasers, their bylines read once the page's articles are known."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prefetch_bylines(context["object_list"])
        return context


class DatedListingMixin(PublishedArticleMixin):
    """The home page and the date archives: navigation and counts from the day index."""

    def period(self):
        """The Paris days listed: the first, and the one after the last (None: open)."""
        return None, None

    def get_queryset(self):
        after = self.period()[1]
        return Article.objects.published(before=after and dayindex.midnight(after))

    def get_allow_future(self):
        # published() leaves the future out already; a second upper bound on the time would
        # make SQLite read the index from the wrong end.
        return True

    @cached_property
    def neighbours(self):
        return dayindex.neighbours(*self.period())

    def neighbour(self, kind, previous):
        """The first day of the nearest year, month or day before or after this period's that
        shows articles, from the day index; None if there is none."""
        day = self.neighbours[0 if previous else 1]
        return day and dayindex.truncate(day, kind)

    def get_dated_queryset(self, **lookup):
        # Without the generic view's query for whether the period has any article: the day
        # index answers it (get_date_list, and the paginator's empty first page).
        return self.get_queryset().filter(**lookup)

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        kind = date_type or self.get_date_list_period()
        date_list = dayindex.periods(kind, *self.period(), ordering=ordering)
        if not date_list and not self.get_allow_empty():
            # Django's own message, as .dates() would have raised it.
            raise Http404(
                _("No %(verbose_name_plural)s available")
                % {"verbose_name_plural": Article._meta.verbose_name_plural}
            )
        return date_list

    def paginate_queryset(self, queryset, page_size):
        # The page asked for, as the paginator will read it (the page cache made it canonical):
        # the day index then finds its first day and the period's total in one query.
        page = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1
        start = (int(page) - 1) * page_size if str(page).isdecimal() else 0
        dated = dayindex.DatedArticles(*self.period(), start=start)
        return super().paginate_queryset(dated, page_size)


class SectionsMixin:
    """The sections, read once for the page's menu and for whatever else the page shows of
    them (the menu otherwise reads them through the context processor): the worker's, kept
    under the content generation, copied since the home page gives each its teasers."""

    def get_sections(self):
        if not hasattr(self, "sections"):
            self.sections = [copy.copy(section) for section in menu_sections.get(self.request)]
        return self.sections

    def get_context_data(self, **kwargs):
        return super().get_context_data(sections=self.get_sections(), **kwargs)


class HomeView(SectionsMixin, DatedListingMixin, ArchiveIndexView):
    """What editors put on the front page, the latest articles, a block for each section and
    the most covered tags; further pages list the older articles."""

    allow_empty = True
    context_object_name = "articles"
    top_tags_count = 12

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        if page.number == 1:
            # The page's latest articles come with the front, in its query.
            front_page = front.front(self.get_sections(), self.paginate_by)
            latest = front_page.latest
        else:
            # The teasers' bylines are read once for every list of the page, below.
            front_page, latest = front.Front(), list(page.object_list)
        prefetch_bylines([*front_page.articles, *latest])
        context.update(
            front=front_page,
            latest=latest,
            top_tags=listings.top_tags(self.top_tags_count),
        )
        return context


class ArticleYearArchiveView(TeaserPageMixin, DatedListingMixin, YearArchiveView):
    make_object_list = True

    def period(self):
        year = int(self.get_year())
        return date(year, 1, 1), date(year + 1, 1, 1)

    def get_next_year(self, current):
        return self.neighbour("year", previous=False)

    def get_previous_year(self, current):
        return self.neighbour("year", previous=True)


class ArticleMonthArchiveView(TeaserPageMixin, DatedListingMixin, MonthArchiveView):
    def period(self):
        first = date(int(self.get_year()), int(self.get_month()), 1)
        return first, dayindex.month_after(first)

    def get_next_month(self, current):
        return self.neighbour("month", previous=False)

    def get_previous_month(self, current):
        return self.neighbour("month", previous=True)


class ArticleDayArchiveView(TeaserPageMixin, DatedListingMixin, DayArchiveView):
    def period(self):
        day = date(int(self.get_year()), int(self.get_month()), int(self.get_day()))
        return day, day + timedelta(days=1)

    def get_next_day(self, current):
        return self.neighbour("day", previous=False)

    def get_previous_day(self, current):
        return self.neighbour("day", previous=True)

    def get_next_month(self, current):
        # A day's page links to the days around it, not to other months: the generic view
        # read a whole article for each of these, 2 ms of every build.
        return None

    def get_previous_month(self, current):
        return None


# What an article page may show from other tables, each read with the article as an EXISTS
# flag: most articles have none of these, and each flag spares them a query (half a
# millisecond of building SQL). Other apps add theirs (stories: threads and places; live: its
# coverage); whatever reads such a table skips the query when the article's flag is False.
# Each is a model and its field that points at the article.
ARTICLE_PAGE_FLAGS = {
    "has_pins": (Article.pinned_related.through, "from_article"),
    "has_corrections": (Correction, "article"),
}


def row_exists(model, field):
    """Whether a row of ``model`` points at the article through ``field``, as SQL written out:
    five ORM Exists cost 1.7 ms to build and compile for each page, these 0.3 ms."""
    article = connection.ops.quote_name(Article._meta.db_table)
    return RawSQL(rows.exists(model, field, article), (), output_field=BooleanField())


# What the sidebar ranks, read once per content generation in each worker: a page of the
# long tail then reads only the articles it shows (articles.listings.TagCandidates).
kept_candidates = KeptByGeneration(listings.TagCandidates)


class ArticleDetailView(PublishedArticleMixin, DateDetailView):
    """An article; staff and holders of a preview link also see it before publication.

    Everyone else gets the same 404 for an unpublished article as for one that does not exist.
    """

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.staff_preview = sees_unpublished(request)
        self.preview_pk = previewed_pk(request.GET.get(QUERY_PARAMETER, ""))

    def get_queryset(self):
        if self.staff_preview:
            articles = Article.objects.all()
        elif self.preview_pk is not None:
            articles = Article.objects.published() | Article.objects.filter(pk=self.preview_pk)
        else:
            articles = Article.objects.published()
        flags = {name: row_exists(*flag) for name, flag in ARTICLE_PAGE_FLAGS.items()}
        return articles.select_related("section").annotate(**flags)

    def get_object(self, queryset=None):
        # Readers' pages come from the stored page when it is still valid (articles.shells),
        # read with the article.
        article = self.published_article() if self.reads_shells else super().get_object(queryset)
        self.from_shell = self.reads_shells and shells.usable_for(article)
        self.stored_page = shells.stored(article) if self.from_shell else None
        if self.stored_page:
            return article  # what the stored page shows is not read again
        prefetch_bylines_and_tags([article])
        if article.has_corrections:
            prefetch_related_objects([article], "corrections")
        else:
            known_empty(article, "corrections")
        return article

    def published_article(self):
        """The article of the URL, as the generic view finds it in ``get_queryset()``."""
        year, month, day = (int(self.kwargs[part]) for part in ("year", "month", "day"))
        try:
            since = timezone.make_aware(datetime.combine(date(year, month, day), time.min))
            until = since + timedelta(days=1)
            article = shells.read(self.kwargs["slug"], since, until, ARTICLE_PAGE_FLAGS)
        except (ValueError, OverflowError):  # no such day, or none after it (9999-12-31)
            raise Http404(_("Date out of range")) from None
        if article is None:
            raise Http404(
                _("No %(verbose_name)s found matching the query")
                % {"verbose_name": Article._meta.verbose_name}
            )
        return article

    @property
    def previewing(self):
        return self.staff_preview or self.preview_pk is not None

    @cached_property
    def reads_shells(self):
        return shells.enabled() and not self.previewing and is_anonymous(self.request)

    def get_allow_future(self):
        # The queryset decides what is visible: readers' holds no article of the future. The
        # generic view's own check compares the URL's date with the process's local date,
        # which is Paris's only while the process's time zone is (not under a moved clock),
        # and refused a new article between midnight and 1 a.m.
        return True

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            # A known slug under a wrong or outdated date, or a slug an editor has since
            # changed: send readers to the canonical URL, unless this is it already.
            article = Article.objects.published().by_slug(kwargs["slug"])
            if article is None or article.get_absolute_url() == request.path:
                raise
            return redirect(article, permanent=True)
        if self.previewing:
            # What staff or a preview link see must never be kept by a shared cache.
            add_never_cache_headers(response)
            response.headers["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tag_ids = self.stored_page.tag_ids if self.stored_page else None
        candidates = kept_candidates.building(self.request)
        context["related_articles"] = self.object.related(tag_ids=tag_ids, candidates=candidates)
        # Every article the page shows a piece of; template tags of other apps (a story's
        # thread) add theirs, so that Last-Modified follows them as well.
        context[SHOWN_ARTICLES] = [self.object, *context["related_articles"]]
        return context

    def render_to_response(self, context, **response_kwargs):
        # The page changes with the article and with what it shows of others: Last-Modified is
        # the newest of their changes once the page is rendered; ConditionalGetMiddleware
        # answers 304 from it and from the ETag of the content.
        shown = context[SHOWN_ARTICLES]

        def last_modified(response):
            changed = max(article.last_modified for article in shown)
            response.headers["Last-Modified"] = http_date(changed.timestamp())

        if not self.from_shell:
            response = super().render_to_response(context, **response_kwargs)
            response.add_post_render_callback(last_modified)
            return response
        template_name = self.get_template_names()[0]
        html = shells.page(self.object, self.stored_page, template_name, context, self.request)
        response = HttpResponse(html)
        last_modified(response)
        return response


@require_safe
def short_link(request, pk):
    """``/a/<id>/``: the permanent short link, redirecting to the article's canonical URL.

    Staff follow it to their drafts and scheduled articles too, as to the full URL; that
    redirect is temporary and never kept, since the URL's date moves when the article goes live.
    """
    if sees_unpublished(request):
        article = get_object_or_404(Article, pk=pk)
        if article.state != Article.State.LIVE:
            response = redirect(article)
            add_never_cache_headers(response)
            return response
    return redirect(get_object_or_404(Article.objects.published(), pk=pk), permanent=True)


class TagArticleListView(TeaserPageMixin, PublishedArticleMixin, ListView):
    # A tag used only by drafts is not shown: its page would reveal unpublished work.
    allow_empty = False
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = listings.shown_tag(self.kwargs["slug"])
        if self.tag is None:
            raise Http404(_("No such tag."))
        # Read through the tag index: its stored count, and one page of ids at any depth.
        entries = TagListing.objects.published().filter(tag=self.tag)
        return CountedArticles(
            entries, self.tag.article_count, id_field="article_id", anchors=(TagAnchor, self.tag.pk)
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class SectionArticleListView(TeaserPageMixin, SectionsMixin, PublishedArticleMixin, ListView):
    # A section editors have just made lists nothing yet, but the menu already links it.
    allow_empty = True
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        # From the menu's list: no query of its own.
        self.section = next(
            (section for section in self.get_sections() if section.slug == self.kwargs["slug"]),
            None,
        )
        if self.section is None:
            raise Http404(_("No such section."))
        # Its stored count, and one page of ids from its index at any depth.
        entries = super().get_queryset().filter(section=self.section)
        count = listings.section_article_count(self.section)
        anchors = (SectionAnchor, self.section.pk)
        return CountedArticles(entries, count, anchors=anchors)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class AuthorArticleListView(TeaserPageMixin, PublishedArticleMixin, ListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        # Read through the listing index: its stored count, and one page of ids.
        entries = AuthorListing.objects.published().filter(author=self.author)
        count = listings.author_article_count(self.author)
        anchors = (AuthorAnchor, self.author.pk)
        return CountedArticles(entries, count, id_field="article_id", anchors=anchors)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class SearchPaginator(Paginator):
    """Counts the matches up to ``limit`` only, and pages through that many.

    A broad search ("Hamas OR Hezbollah") matches tens of thousands of articles, and counting
    them all read most of the article table. Readers are told "more than 1,000" instead;
    nobody pages that deep into results ranked by relevance.

    Where the search engine gives a page's articles the number of matches (``matches``:
    PostgreSQL's), a page with results needs no query to count them: the count's own query
    found the newest matches again, 17 of the 44 ms of the broadest search. Otherwise, and
    for a page past the results (a 404), the count is a query of its own.
    """

    limit = search.COUNT_LIMIT
    more = False  # set by count: whether matches go on past the limit

    def page(self, number):
        bottom = (number - 1) * self.per_page if isinstance(number, int) else -1
        if 0 <= bottom < self.limit:
            top = min(bottom + self.per_page, self.limit)
            articles = list(search.page(self.object_list, bottom, top))
            if articles and hasattr(articles[0], "matches"):
                self.__dict__["count"] = self.counted(articles[0].matches)
            elif not articles and bottom == 0:
                self.__dict__["count"] = self.counted(0)  # not a single match
            if articles or bottom == 0:
                return self._get_page(articles, self.validate_number(number), self)
        return super().page(number)

    @cached_property
    def count(self):
        # Unordered: the count needs no ranking, only to stop after limit + 1 matches.
        return self.counted(self.object_list.order_by()[: self.limit + 1].count())

    def counted(self, found):
        """The count shown for ``found`` matches, noting whether they go on past the limit."""
        self.more = found > self.limit
        return min(found, self.limit)

    def limit_display(self):
        """The limit as readers write numbers: "1 000" in French."""
        return number_format(self.limit, force_grouping=True)


class SearchView(TeaserPageMixin, PublishedArticleMixin, ListView):
    """Published articles matching the reader's words, most relevant first, then newest.

    Bad input (a search too long, an unknown tag, a wrong date) gets the page back with a 400
    that says what is wrong; no words at all gets the page with no results.
    """

    template_name = "articles/search.html"
    paginator_class = SearchPaginator
    # How many tags (the most used) and authors the form offers to pick from.
    choices_limit = 100

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        if self.form.is_valid():
            self.query = self.form.query
            return super().get(request, *args, **kwargs)
        self.query, self.object_list = search.Query(), Article.objects.none()
        return self.render_to_response(self.get_context_data(), status=400)

    def get_queryset(self):
        if not self.query:
            return Article.objects.none()
        articles = self.form.filter(super().get_queryset())
        # The page shows COUNT_LIMIT matches at most; one more tells the count to say "more".
        return articles.search(self.query, newest=search.COUNT_LIMIT + 1)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, query=self.query, **kwargs)
        prefetch_tags(context["object_list"])
        snippets = search.snippets(context["object_list"], self.query)
        for article in context["object_list"]:
            article.snippet = snippets.get(article.pk, "")
        if self.query and not context["paginator"].count:
            context["suggestion"] = self.suggestion()
        return {**context, **self.choices()}

    @classmethod
    def choices(cls):
        """The names the form offers: the most used tags, and authors with published articles."""
        return {
            "tag_choices": sorted(tag.name for tag in listings.top_tags(cls.choices_limit)),
            "author_choices": list(
                listings.used_authors(cls.choices_limit).values_list("name", flat=True)
            ),
        }

    def suggestion(self):
        """A link to the search with its misspelt words corrected, filters kept; or None."""
        text = search.suggestion(self.form.cleaned_data["q"])
        if text is None:
            return None
        parameters = self.request.GET.copy()
        parameters["q"] = text
        parameters.pop(self.page_kwarg, None)
        url = reverse("articles:search") + "?" + parameters.urlencode()
        return format_html('<a href="{}">{}</a>', url, text)


def server_error(request, template_name="500.html"):
    """The 500 page in the site's layout; only settings feed it, since the request may be broken."""
    return HttpResponseServerError(error_page(template_name))


def bad_request(request, exception=None, template_name="400.html"):
    """The 400 page in the site's layout, for a request refused before any view reads it (an
    unknown Host, a null character in the address): words rather than a blank page."""
    return HttpResponseBadRequest(error_page(template_name))


def error_page(template_name, **details):
    """An error page fed by settings and its ``details`` alone: the request it answers may
    be broken."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **details}
    return loader.get_template(template_name).render(context)
