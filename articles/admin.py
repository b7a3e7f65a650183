from csp.decorators import csp_update
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_prose_editor.fields import ProseEditorFormField
from js_asset import Media
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME

from articles.images import validate_hero_image
from articles.links import absolute_url
from articles.models import Article, Author, Correction
from articles.preview import MAX_AGE, preview_url

PUBLISH_PERMISSION = "articles.publish_article"
# What restoring a revision leaves as it is now (see ArticleAdmin.get_form).
KEPT_ON_RESTORE = ["status", "published_at", "revised_at"]
# Pages showing the rich-text editor let its one known inline stylesheet apply (see settings).
editor_csp = method_decorator(csp_update({"style-src": [settings.PROSE_EDITOR_STYLE_HASH]}))

admin.site.site_header = admin.site.site_title = settings.SITE_NAME

# What the editor offers; articles.html.sanitize() is still what the server keeps.
BODY_EXTENSIONS = {
    "Paragraph": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Bold": True,
    "Italic": True,
    "Link": {"protocols": ["http", "https", "mailto"]},
    "Blockquote": True,
    "History": True,
}


class FrenchTitlesMixin:
    """Form titles that read as French: "Ajouter un article", not "Ajout de article".

    Django's French catalogue titles forms "Ajout de %s" and "Modification de %s" around the
    model's name, which French elides before a vowel and precedes with its article: each
    admin names its own titles instead.
    """

    add_title = change_title = view_title = None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            title = self.add_title
        elif self.has_change_permission(request, obj):
            title = self.change_title
        else:
            title = self.view_title
        context["title"] = title or context["title"]
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Author)
class AuthorAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    add_title = _("Add an author")
    change_title = _("Change the author")
    view_title = _("View the author")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class HeroImageField(forms.ImageField):
    """Our checks before Django's, so an editor learns why a file is refused (size, pixels)."""

    def to_python(self, data):
        if data:
            validate_hero_image(data)
        return super().to_python(data)


def is_id(value):
    """Whether ``value`` can be a row's id in every database (a big integer, in digits).

    Django passes posted ids to the database before it knows they are none: "abc" fails
    there, and so does a number too big for SQLite, instead of being a form error.
    """
    value = str(value)
    return value.isdecimal() and len(value) <= 19 and int(value) < 2**63


class IdsField(forms.ModelMultipleChoiceField):
    """A choice of rows, whose unknown ids are a form error before any query."""

    def clean(self, value):
        for pk in value or ():
            if not is_id(pk):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class ArticleAutocomplete(AutocompleteSelectMultiple):
    """Django's autocomplete, minus what no id can be.

    A refused form is shown again with what was posted, and the widget looks it up.
    """

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [pk for pk in value if is_id(pk)], attr)


class ArticleAdminForm(forms.ModelForm):
    """The article form, with the lock counter it was loaded at and a "significant" flag."""

    body = ProseEditorFormField(label=_("body"), config={"extensions": BODY_EXTENSIONS})
    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    significant_update = forms.BooleanField(
        label=_("Significant update"),
        required=False,
        help_text=_("Tick for a change of substance: readers see “Updated on …”. Not for typos."),
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "dateline",
            "standfirst",
            "body",
            "status",
            "published_at",
            "authors",
            "tags",
            "pinned_related",
            "hero_image",
            "hero_alt",
            "hero_caption",
            "hero_credit",
        ]
        field_classes = {
            "hero_image": HeroImageField,
            "authors": IdsField,
            "pinned_related": IdsField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edited_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None:
            saved = Article.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
            if cleaned_data.get("edited_version") != saved.first():
                # The editor's text stays in the form: nothing is lost, nothing overwritten.
                raise forms.ValidationError(
                    _(
                        "Someone else saved this article while you were editing it. Your "
                        "version was not saved and is kept below: copy your changes, reload "
                        "the page, then apply them to the latest version."
                    ),
                    code="stale",
                )
        return cleaned_data


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["created_at", "text"]


class StateFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("draft", _("Draft")), ("scheduled", _("Scheduled")), ("live", _("Live"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=Article.Status.PUBLISHED)
        return {
            "draft": queryset.filter(status=Article.Status.DRAFT),
            "scheduled": published.filter(published_at__gt=now),
            "live": published.filter(published_at__lte=now),
        }.get(self.value(), queryset)


@admin.register(Article)
class ArticleAdmin(FrenchTitlesMixin, SimpleHistoryAdmin):
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
    actions = ["publish", "unpublish"]
    inlines = [CorrectionInline]
    object_history_template = "admin/articles/article/object_history.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "dateline", "standfirst", "body"]}),
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
                    "edited_version",
                ]
            },
        ),
        (None, {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]}),
    ]

    @editor_csp
    def changeform_view(self, *args, **kwargs):
        return super().changeform_view(*args, **kwargs)

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script: this request's CSP nonce lets it run.
        context["media"] = Media.from_media(context["media"], nonce=str(request.csp_nonce))
        return super().render_change_form(request, context, *args, **kwargs)

    def render_history_view(self, request, template, context, **kwargs):
        if "adminform" in context:
            # The form restoring a revision carries the same editor, with its media as a string.
            media = self.media + context["adminform"].media
            context["media"] = Media.from_media(media, nonce=str(request.csp_nonce))
        return super().render_history_view(request, template, context, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None and hasattr(obj, SIMPLE_HISTORY_REVERSE_ATTR_NAME):
            # simple-history's restore form starts from the whole revision. It brings back the
            # text, image and metadata; the status, the times and the "updated" mark stay as
            # they are now (an old status would unpublish a live article) unless the editor
            # changes them in the form. Corrections are rows of their own and stay too.
            current = Article.objects.filter(pk=obj.pk).values(*KEPT_ON_RESTORE).first()
            vars(obj).update(current or {})
        return super().get_form(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "pinned_related":
            kwargs["widget"] = ArticleAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        articles = super().get_queryset(request).prefetch_related("authors", "tags")
        if request.user.has_perm(PUBLISH_PERMISSION):
            return articles
        # A Rédacteur works on their own articles only.
        return articles.filter(created_by=request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.method == "POST":
            # The change form runs in a transaction: holding the row from here closes the window
            # between the form's version check and the save.
            Article.objects.select_for_update().filter(pk=obj.pk).exists()
        return obj

    def get_fieldsets(self, request, obj=None):
        if request.user.has_perm(PUBLISH_PERMISSION):
            return self.fieldsets
        # Preview links are sent out by editors only.
        return [
            (name, {"fields": [field for field in options["fields"] if field != "preview_link"]})
            for name, options in self.fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["revised_at", "preview_link"]
        if not request.user.has_perm(PUBLISH_PERMISSION):
            readonly += ["status", "published_at"]
        return readonly

    def get_inlines(self, request, obj):
        # Corrections belong to published articles, and to editors.
        return self.inlines if obj is not None and request.user.has_perm(PUBLISH_PERMISSION) else []

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.has_perm(PUBLISH_PERMISSION):
            return True
        return obj.created_by_id == request.user.pk and obj.status == Article.Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.has_change_permission(
            request, obj
        )

    def has_publish_permission(self, request):
        return request.user.has_perm(PUBLISH_PERMISSION)

    def save_model(self, request, obj, form, change):
        if not self.has_publish_permission(request):
            self.check_publishing_rights(obj)
        if not change:
            obj.created_by = request.user
        if form.cleaned_data.get("significant_update"):
            obj.revised_at = timezone.now()
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

    @staticmethod
    def check_publishing_rights(obj):
        """A last line behind the read-only fields: without the permission, status never moves.

        It also covers paths that build the instance elsewhere, such as restoring a revision.
        """
        saved = Article.objects.filter(pk=obj.pk).values_list("status", "published_at").first()
        if saved is None:
            if obj.status != Article.Status.DRAFT:
                raise PermissionDenied
        elif (obj.status, obj.published_at) != saved:
            raise PermissionDenied

    @editor_csp
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring a revision is a change: viewing an article's history must not be enough.
        with transaction.atomic():
            if request.method == "POST":
                obj = self.get_object(request, object_id)
                if obj is None or not self.has_change_permission(request, obj):
                    raise PermissionDenied
            return super().history_form_view(request, object_id, version_id, extra_context)

    def get_urls(self):
        compare = self.admin_site.admin_view(self.compare_view)
        return [
            path(
                "<path:object_id>/history/compare/",
                compare,
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id):
        """Two revisions of an article side by side, field by field."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise Http404
        records = obj.history.select_related("history_user")
        latest = list(records[:2])
        if not latest:
            raise Http404

        def chosen(name, default):
            value = request.GET.get(name, "")
            return (value.isdigit() and records.filter(pk=value).first()) or default

        # Without a choice (or with a bad one), the last change: the two latest revisions.
        old, new = chosen("old", latest[-1]), chosen("new", latest[0])
        changes = (
            new.diff_against(old, excluded_fields=["updated_at"]).changes if old != new else []
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare revisions: %s") % obj,
            "opts": self.opts,
            "original": obj,
            "old": old,
            "new": new,
            "records": records,
            "changes": [
                (Article._meta.get_field(change.field).verbose_name, change.old, change.new)
                for change in changes
            ],
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    @admin.display(description=_("status"), ordering="status")
    def state_label(self, obj):
        return {"draft": _("Draft"), "scheduled": _("Scheduled"), "live": _("Live")}[obj.state]

    @admin.display(description=_("authors"))
    def author_names(self, obj):
        return ", ".join(author.name for author in obj.authors.all())

    @admin.display(description=_("tags"))
    def tag_names(self, obj):
        return ", ".join(tag.name for tag in obj.tags.all())

    @admin.display(description=_("preview link"))
    def preview_link(self, obj):
        if obj.pk is None or obj.state == "live":
            return "–"
        url = absolute_url(preview_url(obj))
        return format_html(
            '<a href="{}">{}</a><br>{}',
            url,
            url,
            _("Anyone with this link can read the article for %(days)d days.")
            % {"days": MAX_AGE.days},
        )

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
