"""Live coverage in the admin: a posting screen per live article, and updates' corrections.

Editors post from the coverage's own screen (``…/livecoverage/<id>/updates/``): a short form
above the latest updates, which comes back empty after each post, so a night of updates never
leaves the live article. Each update is its own row: editors posting at once never overwrite
each other, and the article's lock counter does not stand in their way.
"""

import logging

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_prose_editor.fields import ProseEditorFormField
from simple_history.admin import SimpleHistoryAdmin

from articles.admin import extensions
from articles.admin.csp import RichTextCSPMixin, editor_csp, with_nonce
from articles.admin.storage_faults import STORAGE_FAILED, StorageFaultMixin
from live.models import LiveCoverage, LiveUpdate
from newsroom.storage import STORAGE_ERRORS

logger = logging.getLogger(__name__)

# An update is a few paragraphs: no headings. articles.html.sanitize() is what the server keeps.
UPDATE_EXTENSIONS = {
    "Paragraph": True,
    "HardBreak": True,
    "BulletList": True,
    "ListItem": True,
    "Bold": True,
    "Italic": True,
    "Link": {"protocols": ["http", "https", "mailto"]},
    "Blockquote": True,
    "History": True,
}
# Updates listed under the posting form; older ones are on the updates' own list.
RECENT = 30


class LiveUpdateForm(forms.ModelForm):
    body = ProseEditorFormField(label=_("Text"), config={"extensions": UPDATE_EXTENSIONS})

    class Meta:
        model = LiveUpdate
        fields = [
            "title",
            "body",
            "is_key",
            "sourcing",
            "sourcing_source",
            "author",
            "image",
            "image_alt",
        ]


@admin.register(LiveCoverage)
class LiveCoverageAdmin(admin.ModelAdmin):
    list_display = ["article", "state_label", "started_at", "last_activity_at", "updates_link"]
    list_select_related = ["article"]
    search_fields = ["article__title"]
    autocomplete_fields = ["article"]
    fields = ["article", "started_at", "close_after_hours", "closed_at"]
    actions = ["close", "reopen"]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/updates/",
                self.admin_site.admin_view(self.updates_view),
                name="live_livecoverage_updates",
            ),
            *super().get_urls(),
        ]

    def get_readonly_fields(self, request, obj=None):
        # The article of a running coverage stays: its updates belong to it.
        return ["article"] if obj is not None else []

    def response_add(self, request, obj, post_url_continue=None):
        return HttpResponseRedirect(updates_url(obj))

    @admin.display(description=_("state"))
    def state_label(self, coverage):
        return coverage.state.label

    @admin.display(description=_("updates"))
    def updates_link(self, coverage):
        return format_html('<a href="{}">{}</a>', updates_url(coverage), _("Post and correct"))

    @admin.action(description=_("Close the selected live coverage"), permissions=["change"])
    def close(self, request, queryset):
        self.set_state(request, queryset, LiveCoverage.close)

    @admin.action(description=_("Reopen the selected live coverage"), permissions=["change"])
    def reopen(self, request, queryset):
        self.set_state(request, queryset, LiveCoverage.reopen)

    def set_state(self, request, queryset, change):
        for coverage in queryset:
            change(coverage)
            coverage.save()
        count = len(queryset)
        self.message_user(
            request,
            ngettext("%(count)d live coverage changed.", "%(count)d live coverage changed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @editor_csp
    def updates_view(self, request, object_id):
        """The posting screen: a short form, then the latest updates with their actions."""
        coverage = self.get_object(request, object_id) if is_id(object_id) else None
        if coverage is None:
            raise Http404
        if not request.user.has_perm("live.add_liveupdate"):
            raise PermissionDenied
        form = LiveUpdateForm(request.POST or None, request.FILES or None)
        if request.method == "POST":
            if "close" in request.POST or "reopen" in request.POST:
                return self.toggle(request, coverage)
            if "make_article" in request.POST:
                return self.make_article(request, coverage)
            if not coverage.is_live:
                form.add_error(None, _("This coverage is closed: reopen it to post."))
            elif form.is_valid():
                update = form.save(commit=False)
                update.coverage = coverage
                update.created_by = request.user
                update._history_user = request.user
                try:
                    with transaction.atomic():
                        update.save()
                except STORAGE_ERRORS:
                    logger.exception("Live update not posted: the storage failed")
                    form.add_error(None, STORAGE_FAILED)
                else:
                    self.message_user(request, _("Update posted."), messages.SUCCESS)
                    return HttpResponseRedirect(request.path)
        recent = coverage.updates.select_related("author", "article").order_by("-pk")[:RECENT]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Live: %(title)s") % {"title": coverage.article.title},
            "coverage": coverage,
            "form": form,
            "updates": recent,
            "media": with_nonce(self.media + form.media, request),
            "can_change": self.has_change_permission(request, coverage),
        }
        return TemplateResponse(request, "admin/live/livecoverage/updates.html", context)

    def make_article(self, request, coverage):
        if not request.user.has_perm("articles.add_article"):
            raise PermissionDenied
        pk = request.POST["make_article"]
        update = coverage.updates.filter(pk=pk).first() if is_id(pk) else None
        if update is None:
            raise Http404
        article = update.article or update.make_article(request.user)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def toggle(self, request, coverage):
        if not self.has_change_permission(request, coverage):
            raise PermissionDenied
        if "close" in request.POST:
            coverage.close()
            message = _("The live coverage is closed.")
        else:
            coverage.reopen()
            message = _("The live coverage is live again.")
        coverage.save()
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(request.path)


def is_id(value):
    return value.isdecimal() and len(value) <= 18


def updates_url(coverage):
    return reverse("admin:live_livecoverage_updates", args=[coverage.pk])


@admin.register(LiveUpdate)
class LiveUpdateAdmin(StorageFaultMixin, RichTextCSPMixin, SimpleHistoryAdmin):
    """Correcting an update, withdrawing it, or making an article of it; posting is elsewhere."""

    form = LiveUpdateForm
    list_display = ["headline", "coverage", "posted_at", "is_key", "withdrawn_at", "article"]
    list_filter = ["is_key"]
    list_select_related = ["coverage__article", "article"]
    search_fields = ["title", "body"]
    actions = ["make_articles"]

    def has_add_permission(self, request):
        return False  # from the coverage's posting screen, which knows the coverage

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        self.message_user(request, _("Update corrected."), messages.SUCCESS)
        return HttpResponseRedirect(updates_url(obj.coverage))

    def delete_model(self, request, obj):
        """Withdraw: readers' pages drop it at their next poll; the history keeps it."""
        obj._history_user = request.user
        obj.withdraw()

    def delete_queryset(self, request, queryset):
        for update in queryset:
            self.delete_model(request, update)

    def response_delete(self, request, obj_display, obj_id):
        update = LiveUpdate.objects.filter(pk=obj_id).select_related("coverage").first()
        if update is None:
            return super().response_delete(request, obj_display, obj_id)
        self.message_user(request, _("Update deleted."), messages.SUCCESS)
        return HttpResponseRedirect(updates_url(update.coverage))

    @admin.action(
        description=_("Make a draft article of each selected update"), permissions=["make_article"]
    )
    def make_articles(self, request, queryset):
        made = [update.make_article(request.user) for update in queryset if update.article is None]
        if len(made) == 1:
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[made[0].pk]))
        self.message_user(
            request,
            ngettext("%(count)d draft article made.", "%(count)d draft articles made.", len(made))
            % {"count": len(made)},
            messages.SUCCESS,
        )
        return None

    def has_make_article_permission(self, request):
        return request.user.has_perm("articles.add_article")


# On the article's own admin: its live screen, one click away, and a way to start one.
@admin.display(description=_("live coverage"))
def live_coverage(article):
    coverage = LiveCoverage.objects.filter(pk=article.pk).first() if article.pk else None
    if coverage is None:
        return _("Not live. Start it from the list of articles (action “Run as live pages”).")
    return format_html(
        '<a href="{}">{}</a> ({})',
        updates_url(coverage),
        _("Post and correct"),
        coverage.state.label,
    )


@admin.action(description=_("Run as live pages"), permissions=["publish"])
def run_live(modeladmin, request, queryset):
    """Editors alone: a live page is as public as a publication."""
    started = [
        coverage
        for article in queryset
        for coverage, created in [LiveCoverage.objects.get_or_create(article=article)]
        if created
    ]
    if len(started) == 1:
        return HttpResponseRedirect(updates_url(started[0]))
    modeladmin.message_user(
        request,
        ngettext("%(count)d live page started.", "%(count)d live pages started.", len(started))
        % {"count": len(started)},
        messages.SUCCESS,
    )
    return None


extensions.READONLY_FIELDS.append(live_coverage)
extensions.FIELDS["publication"].append(live_coverage)
extensions.ACTIONS.append(run_live)
