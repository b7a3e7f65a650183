"""Sections and the front page ("À la une") in the admin.

Editors order sections in their list; they choose the front page from the article list in
one action (the first selected leads, in the list's order) and reorder or trim it in its own
short list.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import front
from articles.admin import extensions
from articles.models import Article, Feature, Section


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "slug"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "position", "description"]


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    """The front page: its few articles, the first position leading."""

    list_display = ["position", "article", "state"]
    list_display_links = ["article"]
    list_editable = ["position"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
    fields = ["article", "position"]

    @admin.display(description=_("status"))
    def state(self, feature):
        return feature.article.state.label


class FrontPageFilter(admin.SimpleListFilter):
    title = _("front page")
    parameter_name = "front"

    def lookups(self, request, model_admin):
        return [("yes", _("On the front page"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(feature__isnull=False).order_by("feature__position")
        return queryset


@admin.action(description=_("Put on the front page (the first leads)"), permissions=["publish"])
def put_on_front_page(modeladmin, request, queryset):
    """Make the selected articles the front page, in the list's order: the first leads."""
    chosen = list(queryset)
    drafts = [article for article in chosen if article.status == Article.Status.DRAFT]
    if drafts:
        modeladmin.message_user(
            request,
            _("A draft cannot go on the front page: publish or schedule it first (%(titles)s).")
            % {"titles": ", ".join(article.title for article in drafts)},
            messages.ERROR,
        )
        return
    if len(chosen) > front.FEATURED:
        modeladmin.message_user(
            request,
            _("The front page holds %(count)d articles at most: the lead and %(others)d others.")
            % {"count": front.FEATURED, "others": front.FEATURED - 1},
            messages.ERROR,
        )
        return
    with transaction.atomic():
        Feature.objects.all().delete()
        for position, article in enumerate(chosen, start=1):
            # One save each: the page cache's generation follows every change.
            Feature.objects.create(article=article, position=position)
    modeladmin.message_user(
        request,
        ngettext(
            "“%(lead)s” now leads the front page.",
            "“%(lead)s” now leads the front page, followed by %(count)d other articles.",
            len(chosen),
        )
        % {"lead": chosen[0].title, "count": len(chosen) - 1},
        messages.SUCCESS,
    )


@admin.action(description=_("Take off the front page"), permissions=["publish"])
def take_off_front_page(modeladmin, request, queryset):
    removed, _details = Feature.objects.filter(article__in=queryset).delete()
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d article taken off the front page.",
            "%(count)d articles taken off the front page.",
            removed,
        )
        % {"count": removed},
        messages.SUCCESS,
    )


extensions.FIELDS["publication"].insert(0, "section")
extensions.LIST_FILTER += ["section", FrontPageFilter]
extensions.ACTIONS += [put_on_front_page, take_off_front_page]
