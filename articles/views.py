from django.conf import settings
from django.http import Http404, HttpResponseServerError
from django.shortcuts import get_object_or_404, redirect
from django.template import loader
from django.views.generic import (
    ArchiveIndexView,
    DateDetailView,
    DayArchiveView,
    ListView,
    MonthArchiveView,
    YearArchiveView,
)
from taggit.models import Tag

from articles import search
from articles.forms import SearchForm
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


class SearchView(PublishedArticleMixin, ListView):
    """Published articles matching the reader's words, most relevant first, then newest.

    Bad input (a search too long, an unknown tag, a wrong date) gets the page back with a 400
    that says what is wrong; no words at all gets the page with no results.
    """

    template_name = "articles/search.html"

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
        return articles.search(self.query).prefetch_related("tags")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, query=self.query, **kwargs)
        snippets = search.snippets(context["object_list"], self.query)
        for article in context["object_list"]:
            article.snippet = snippets.get(article.pk, "")
        return context


def server_error(request, template_name="500.html"):
    """The 500 page in the site's layout; only settings feed it, since the request may be broken."""
    template = loader.get_template(template_name)
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
    return HttpResponseServerError(template.render(context))
