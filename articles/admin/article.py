"""The article admin: its shape at a glance; the rules live in the mixins it is made of."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.i18n import JavaScriptCatalog
from simple_history.admin import SimpleHistoryAdmin

from articles import search
from articles.admin.autosave import AutosaveMixin
from articles.admin.conflict import ConflictMixin
from articles.admin.csp import RichTextCSPMixin
from articles.admin.extensions import ExtensibleMixin
from articles.admin.filters import StateFilter
from articles.admin.forms import ArticleAdminForm, ArticleAutocomplete
from articles.admin.history import HistoryMixin
from articles.admin.public_history import revisions_link
from articles.admin.review import ReviewMixin
from articles.admin.roles import RolesMixin
from articles.admin.storage_faults import StorageFaultMixin
from articles.admin.titles import FrenchTitlesMixin
from articles.links import absolute_url
from articles.models import Article, Correction
from articles.preview import MAX_AGE, preview_url

admin.site.site_header = admin.site.site_title = settings.SITE_NAME


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["created_at", "text"]


@admin.register(Article)
class ArticleAdmin(
    StorageFaultMixin,
    RolesMixin,
    ReviewMixin,
    AutosaveMixin,
    ConflictMixin,
    RichTextCSPMixin,
    HistoryMixin,
    ExtensibleMixin,
    FrenchTitlesMixin,
    SimpleHistoryAdmin,
):
    add_title = _("Add an article")
    change_title = _("Change the article")
    view_title = _("View the article")
    form = ArticleAdminForm
    list_display = ["title", "state_label", "published_at", "author_names", "tag_names"]
    list_filter = [StateFilter, "tags", "authors"]
    search_fields = ["title", "standfirst", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["authors"]
    autocomplete_fields = ["pinned_related"]
    own_actions = ["publish", "unpublish"]
    object_history_template = "admin/articles/article/object_history.html"
    fieldset_keys = ["text", "publication", "image"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kind",
                    "title",
                    "slug",
                    "dateline",
                    "standfirst",
                    "sourcing",
                    "sourcing_source",
                    "body",
                    "backstory",
                ]
            },
        ),
        (
            None,
            {
                "fields": [
                    "status",
                    "published_at",
                    "significant_update",
                    "revised_at",
                    "authors",
                    "tags",
                    "pinned_related",
                    "preview_link",
                    "public_history",
                    "edited_version",
                    "edited_at",
                ]
            },
        ),
        (
            None,
            {
                "fields": [
                    "hero_image",
                    "hero_alt",
                    "hero_caption",
                    "hero_credit",
                    "hero_sensitive",
                    "hero_warning",
                    "kept_image",
                ]
            },
        ),
    ]
    readonly_fields = ["revised_at", "preview_link", "public_history"]
    # Roles (see RolesMixin): preview links are sent out by editors only; corrections belong
    # to published articles, and to editors.
    editor_fields = ["preview_link", "public_history"]
    publishing_fields = ["status", "published_at"]
    editor_inlines = [CorrectionInline]

    @property
    def media(self):
        desk = forms.Media(
            # The editor's dialogs in French (django-prose-editor's catalogue), then ours.
            js=[reverse("admin:articles_article_jsi18n"), "admin/articles/article_form.js"],
            css={"all": ["admin/articles/desk.css"]},
        )
        return super().media + desk

    def get_urls(self):
        catalog = JavaScriptCatalog.as_view(packages=["django_prose_editor"])
        return [
            path("jsi18n/", self.admin_site.admin_view(catalog), name="articles_article_jsi18n"),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors", "tags")

    def get_search_results(self, request, queryset, search_term):
        """Django's search, and the reader's: words match whatever their accents and case."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        query = search.parse(search_term)
        if query:
            matches = Article.objects.search(query).order_by().values("pk")
            results = results | queryset.filter(pk__in=matches)
        return results, may_have_duplicates

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            # The change form runs in a transaction: holding the row from here closes the window
            # between the form's version check and the save.
            Article.objects.select_for_update().filter(pk=obj.pk).exists()
        return obj

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "pinned_related":
            kwargs["widget"] = ArticleAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if form.cleaned_data.get("significant_update"):
            obj.mark_significant()
        if (
            obj.status == Article.Status.PUBLISHED
            and "status" in form.changed_data
            and "published_at" not in form.changed_data
        ):
            # A draft published from the form goes live as by the bulk action: at the time an
            # editor set if it is still to come, else now, not when the draft was started.
            obj.unpublish()
            obj.publish()
        super().save_model(request, obj, form, change)

    @admin.display(description=_("status"), ordering="status")
    def state_label(self, obj):
        return obj.state.label

    @admin.display(description=_("authors"))
    def author_names(self, obj):
        return ", ".join(author.name for author in obj.authors.all())

    @admin.display(description=_("tags"))
    def tag_names(self, obj):
        return ", ".join(tag.name for tag in obj.tags.all())

    @admin.display(description=_("preview link"))
    def preview_link(self, obj):
        if obj.pk is None or obj.state == Article.State.LIVE:
            return "–"
        url = absolute_url(preview_url(obj))
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a><br>{}',
            url,
            url,
            _("Anyone with this link can read the article for %(days)d days.")
            % {"days": MAX_AGE.days},
        )

    @admin.display(description=_("public history"))
    def public_history(self, obj):
        return "–" if obj.pk is None else revisions_link(obj)

    @admin.action(description=_("Publish the selected articles"), permissions=["publish"])
    def publish(self, request, queryset):
        self.set_status(request, queryset, Article.Status.PUBLISHED)

    @admin.action(description=_("Unpublish the selected articles"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self.set_status(request, queryset, Article.Status.DRAFT)

    def set_status(self, request, queryset, status):
        # Django offers and runs these actions only for users with has_publish_permission().
        changed = list(queryset.exclude(status=status))
        for article in changed:
            if status == Article.Status.PUBLISHED:
                article.publish()
            else:
                article.unpublish()
            # One save each, so that each change leaves a revision with its author.
            article._history_user = request.user
            article.save()
        count = len(changed)
        self.message_user(
            request,
            ngettext("%(count)d article changed.", "%(count)d articles changed.", count)
            % {"count": count},
            messages.SUCCESS,
        )
