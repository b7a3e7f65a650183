"""Editors' say over an article's public history: which revisions are significant, and which
are withheld (a legal removal), with the reason kept here and never shown to readers.

Nothing is deleted: a withheld revision stays in the editors' history and can be restored;
clearing its reason puts it back in the public history.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from articles.admin.roles import is_editor
from articles.admin.titles import FrenchTitlesMixin
from articles.models import Article

Revision = Article.history.model


@admin.register(Revision)
class PublicRevisionAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    change_title = _("Change the version")
    view_title = _("View the version")
    # Short columns, so that the list fits a 1,280 px screen beside the admin's two sidebars:
    # dates in figures, headlines cut.
    list_display = ["version_time", "headline", "status", "modified_by", "significant", "withheld"]
    list_display_links = ["version_time"]
    list_editable = ["significant"]
    list_filter = ["significant", ("withheld_at", admin.EmptyFieldListFilter)]
    list_select_related = ["history_user"]
    search_fields = ["title"]
    date_hierarchy = "history_date"
    fields = [
        "article_link",
        "version_date",
        "modified_by",
        "status",
        "title",
        "significant",
        "withheld_reason",
        "withheld_at",
    ]
    readonly_fields = [
        "article_link",
        "version_date",
        "modified_by",
        "status",
        "title",
        "withheld_at",
    ]

    def lookup_allowed(self, lookup, value, request=None):
        # The list opens from an article's form, filtered to its revisions (?id=…).
        return lookup == "id" or super().lookup_allowed(lookup, value, request)

    # Editors alone decide what readers see; nobody adds or deletes a revision here.
    def has_module_permission(self, request):
        return is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return is_editor(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Withheld while a reason is given, from the moment it is first given.
        if obj.withheld_reason.strip():
            obj.withheld_at = obj.withheld_at or timezone.now()
        else:
            obj.withheld_reason, obj.withheld_at = "", None
        super().save_model(request, obj, form, change)

    # Column headings wrap, as "modification importante" must to fit (see desk.css).
    media = forms.Media(css={"all": ["admin/articles/desk.css"]})

    def get_changelist_form(self, request, **kwargs):
        # Each row's box names what it marks: a column's heading labels no input.
        label = {"aria-label": Revision._meta.get_field("significant").verbose_name}
        kwargs.setdefault("widgets", {"significant": forms.CheckboxInput(attrs=label)})
        return super().get_changelist_form(request, **kwargs)

    # simple-history names its own fields in English ("history date"), untranslated.
    @admin.display(description=_("version date"), ordering="history_date")
    def version_date(self, obj):
        # Written out: the form shows what a method returns as text, where a field's value
        # would have been a Paris time.
        return date_format(timezone.localtime(obj.history_date), "DATETIME_FORMAT")

    @admin.display(description=_("version date"), ordering="history_date")
    def version_time(self, obj):
        return date_format(timezone.localtime(obj.history_date), "SHORT_DATETIME_FORMAT")

    @admin.display(description=_("headline"), ordering="title")
    def headline(self, obj):
        return Truncator(obj.title).chars(60)

    @admin.display(description=_("withheld on"), ordering="withheld_at")
    def withheld(self, obj):
        return obj.withheld_at and date_format(
            timezone.localtime(obj.withheld_at), "SHORT_DATE_FORMAT"
        )

    @admin.display(description=_("changed by"), ordering="history_user")
    def modified_by(self, obj):
        # The form shows a method's None as "None", where the list shows the empty value.
        return obj.history_user or self.get_empty_value_display()

    @admin.display(description=_("article"))
    def article_link(self, obj):
        """The article this is a revision of."""
        url = reverse("admin:articles_article_change", args=[obj.id])
        return format_html('<a href="{}">{}</a>', url, obj.title)


def revisions_link(article):
    """A link from an article's form to its revisions here, for an editor's decisions."""
    url = reverse("admin:articles_historicalarticle_changelist") + f"?id={article.pk}"
    return format_html(
        '<a href="{}">{}</a>',
        url,
        _("Mark revisions significant, or withhold one from the public history"),
    )
