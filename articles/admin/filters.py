from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class StateFilter(admin.SimpleListFilter):
    """Draft, scheduled or live, by the model's own publication rule."""

    title = _("status")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Article.State.choices

    def queryset(self, request, queryset):
        if self.value() not in Article.State.values:
            return queryset
        return queryset.in_state(self.value())
