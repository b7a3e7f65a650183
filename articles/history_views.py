"""Readers' pages of an article's public history: the list, one earlier version, a comparison.

Only published articles have them; which versions are shown is articles.versions' rule.
Earlier versions and comparisons are marked noindex and name the article as canonical: search
engines should send readers to the current text.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import http_date
from django.views.generic import TemplateView

from articles.diff import diff_html, diff_text
from articles.forms import VersionChoiceForm
from articles.links import absolute_url
from articles.models import Article
from articles.versions import PublicHistory

# What a comparison shows, in the page's order: (field, differ).
COMPARED_FIELDS = [("title", diff_text), ("standfirst", diff_text), ("body", diff_html)]


class ArticleHistoryMixin:
    """The published article named by the URL's date and slug, and its public history."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        article = get_object_or_404(
            Article.objects.published().prefetch_related("corrections"), slug=kwargs["slug"]
        )
        # Under its own date only: the URL's parts, as strings, name the article's address.
        url_kwargs = {name: kwargs[name] for name in ("year", "month", "day", "slug")}
        if reverse("articles:detail", kwargs=url_kwargs) != article.get_absolute_url():
            raise Http404
        self.article, self.history = article, PublicHistory(article)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            article=self.article,
            history=self.history,
            compare_url=reverse("articles:compare-choice", kwargs=self.article.url_kwargs()),
            **kwargs,
        )


class HistoryView(ArticleHistoryMixin, TemplateView):
    """The versions and corrections of an article, and a form to compare any two."""

    template_name = "articles/article_history.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            timeline=self.history.timeline(self.article.corrections.all()),
            form=VersionChoiceForm(self.history),
            **kwargs,
        )


class MementoMixin:
    """An earlier state of the article (RFC 7089's memento): its time, and the original."""

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        original = absolute_url(self.article.get_absolute_url())
        # No rel="timemap": the history page is HTML, not the link-format list RFC 7089 asks.
        response.headers["Link"] = f'<{original}>; rel="original"'

        if memento := context.get("memento"):
            response.headers["Memento-Datetime"] = http_date(memento.time.timestamp())
        response.headers["X-Robots-Tag"] = "noindex"
        return response


class VersionView(MementoMixin, ArticleHistoryMixin, TemplateView):
    """One earlier version, as readers saw it then, clearly marked as not the current one."""

    template_name = "articles/article_version.html"

    def get_context_data(self, **kwargs):
        # The URL's version number gives way to the version itself.
        version = self.history.readable(self.kwargs["version"])
        return super().get_context_data(**{**kwargs, "version": version, "memento": version})


def comparison_url(article, old, new=None):
    """The address of the comparison of version ``old`` with ``new`` (None: the current one)."""
    kwargs = {**article.url_kwargs(), "old": old.pk}
    if new is None:
        return reverse("articles:compare-current", kwargs=kwargs)
    return reverse("articles:compare", kwargs={**kwargs, "new": new.pk})


class CompareChoiceView(ArticleHistoryMixin, TemplateView):
    """The comparison form's answer (``?from=…&to=…``): a redirect to that comparison's page.

    The page cache keeps pages by their path alone, so each comparison has a path of its own,
    and this view, which reads the query, is never cached.
    """

    template_name = "articles/article_compare.html"

    def get(self, request, *args, **kwargs):
        if not self.history.readable_versions:
            raise Http404
        form = VersionChoiceForm(self.history, request.GET or None)
        if form.is_bound and not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return redirect(comparison_url(self.article, *form.chosen()))


class CompareView(MementoMixin, ArticleHistoryMixin, TemplateView):
    """Two versions, word by word: ``old`` and ``new``, or the current article without it."""

    template_name = "articles/article_compare.html"

    def get_context_data(self, **kwargs):
        old = self.history.readable(self.kwargs["old"])
        new = self.history.readable(self.kwargs["new"]) if "new" in self.kwargs else None
        new_text = new.record if new else self.article
        changes = [
            (
                Article._meta.get_field(name).verbose_name,
                differ(getattr(old.record, name), getattr(new_text, name)),
            )
            for name, differ in COMPARED_FIELDS
        ]
        form = VersionChoiceForm(
            self.history, initial={"from": str(old.pk), "to": str(new.pk) if new else ""}
        )
        context = {**kwargs, "old": old, "new": new, "changes": changes, "form": form}
        return super().get_context_data(**context)
