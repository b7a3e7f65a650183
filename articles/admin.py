from django.contrib import admin

from articles.models import Article, Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "standfirst"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["authors"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "dateline", "standfirst", "body"]}),
        (None, {"fields": ["status", "published_at", "revised_at", "authors", "tags"]}),
        (None, {"fields": ["hero_image", "hero_alt", "hero_caption", "hero_credit"]}),
    ]
