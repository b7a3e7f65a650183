"""Tags for editors: rename (old links follow, see articles.tags) and merge."""

import unicodedata

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag

from articles import listings
from articles.admin.titles import FrenchTitlesMixin
from articles.tags import merge

# taggit's own admin lists every tagging of a tag inline: thousands of rows for a big one.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


def folded(text):
    """``text`` without accents, in lower case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Tag.objects.none(), widget=forms.RadioSelect, label=_("Keep this tag")
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = tags


@admin.register(Tag)
class TagAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    add_title = _("Add a tag")
    change_title = _("Rename the tag")
    view_title = _("View the tag")
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "slug"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_tags"]
    merge_template = "admin/taggit/tag/merge.html"

    def get_queryset(self, request):
        return listings.with_article_counts(super().get_queryset(request))

    def get_search_results(self, request, queryset, search_term):
        """Names match whatever their accents and case: "coree" finds "Corée du Nord".

        Compared in Python, which every database can do: a newsroom's tags are a few
        thousand short names, read in one query of two columns.
        """
        words = folded(search_term).split()
        if not words:
            return super().get_search_results(request, queryset, search_term)
        names = Tag.objects.values_list("pk", "name")
        matching = [pk for pk, name in names if all(word in folded(name) for word in words)]
        return queryset.filter(pk__in=matching), False

    @admin.display(description=_("published articles"), ordering="article_count")
    def article_count(self, tag):
        return tag.article_count

    @admin.action(description=_("Merge the selected tags"), permissions=["delete"])
    def merge_tags(self, request, queryset):
        tags = queryset.order_by("name")
        form = MergeForm(request.POST if "into" in request.POST else None, tags=tags)
        if form.is_valid():
            into = form.cleaned_data["into"]
            count = merge(list(tags), into)
            self.message_user(
                request,
                ngettext(
                    "%(count)d tag merged into “%(into)s”; its links lead there.",
                    "%(count)d tags merged into “%(into)s”; their links lead there.",
                    count,
                )
                % {"count": count, "into": into},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge tags"),
            "opts": self.opts,
            "form": form,
            "tags": tags,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, self.merge_template, context)
