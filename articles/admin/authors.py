from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.admin.titles import FrenchTitlesMixin
from articles.models import Author


@admin.register(Author)
class AuthorAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    add_title = _("Add an author")
    change_title = _("Change the author")
    view_title = _("View the author")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
