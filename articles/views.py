from django.conf import settings
from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect
from django.template import loader
from django.utils.translation import gettext as _
from django.views.generic import (
    ArchiveIndexView,
    DateDetailView,
    DayArchiveView,
    ListView,
    MonthArchiveView,
    YearArchiveView,
)
from taggit.models import Tag

from articles.models import Article, Author


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
        # Prefetch for the page shown only: the archives' next/previous lookups reuse the queryset.
        return super().paginate_queryset(queryset.for_listing(), page_size)


class HomeView(PublishedArticleMixin, ArchiveIndexView):
    """The lead story, the latest articles and the most covered tags."""

    allow_empty = True
    context_object_name = "articles"
    top_tags_count = 12

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["top_tags"] = Article.objects.published().top_tags(self.top_tags_count)
        return context


class ArticleYearArchiveView(PublishedArticleMixin, YearArchiveView):
    make_object_list = True


class ArticleMonthArchiveView(PublishedArticleMixin, MonthArchiveView):
    pass


class ArticleDayArchiveView(PublishedArticleMixin, DayArchiveView):
    pass


class ArticleDetailView(PublishedArticleMixin, DateDetailView):
    def get_queryset(self):
        return Article.objects.published().prefetch_related("authors", "tags")

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A known slug under a wrong or outdated date: send readers to the canonical URL.
            article = get_object_or_404(self.get_queryset(), slug=kwargs["slug"])
            return redirect(article, permanent=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["related_articles"] = self.object.related()
        return context


class TagArticleListView(PublishedArticleMixin, ListView):
    # A tag used only by drafts is not shown: its page would reveal unpublished work.
    allow_empty = False
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorArticleListView(PublishedArticleMixin, ListView):
    template_name = "articles/author_detail.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(authors=self.author)

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


def server_error(request, template_name="500.html"):
    """The 500 page in the site's layout; only settings feed it, since the request may be broken."""
    template = loader.get_template(template_name)
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
    return HttpResponseServerError(template.render(context))
