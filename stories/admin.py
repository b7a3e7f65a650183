"""Stories and places in the admin, and an article's stories and places on the article's form."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from articles.admin import extensions
from articles.admin.storage_faults import StorageFaultMixin
from stories.models import ArticlePlace, Place, Story, StoryPiece


@admin.register(Story)
class StoryAdmin(StorageFaultMixin, admin.ModelAdmin):
    list_display = ["title", "status", "piece_count", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "status", "summary", "image", "image_alt"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(piece_count=Count("pieces"))

    @admin.display(description=_("pieces"), ordering="piece_count")
    def piece_count(self, story):
        return story.piece_count


class StoryPieceInline(admin.TabularInline):
    """The stories an article belongs to, chosen on the article's own form.

    A story can hold thousands of pieces, far too many for an inline on the story's form.
    """

    model = StoryPiece
    extra = 1
    fields = ["story", "is_key"]
    autocomplete_fields = ["story"]
    verbose_name = _("story")
    verbose_name_plural = _("stories")


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "latitude", "longitude"]
    search_fields = ["name", "country"]
    prepopulated_fields = {"slug": ["name"]}


class ArticlePlaceFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        datelines = [
            form
            for form in self.forms
            if form.cleaned_data.get("is_dateline") and not form.cleaned_data.get("DELETE")
        ]
        if len(datelines) > 1:
            raise ValidationError(_("An article has one dateline: tick one place only."))


class ArticlePlaceInline(admin.TabularInline):
    """The article's dateline place and the places it is about."""

    model = ArticlePlace
    formset = ArticlePlaceFormSet
    extra = 1
    fields = ["place", "is_dateline"]
    autocomplete_fields = ["place"]
    verbose_name = _("place")
    verbose_name_plural = _("places")


# On the article's form, for whoever may file articles into stories and give them places.
extensions.INLINES.extend([StoryPieceInline, ArticlePlaceInline])
