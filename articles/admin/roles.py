"""Writers and editors: the one rule every part of the article admin asks.

Rédacteurs write and edit their own drafts, send them for review, read their colleagues'
articles and delete their own drafts that readers never saw. Éditeurs (and superusers) hold
``articles.publish_article``: they edit every article, and alone publish, unpublish and schedule.
"""

from django.core.exceptions import PermissionDenied

from articles.models import Article

PUBLISH_PERMISSION = "articles.publish_article"


def is_editor(user):
    """Whether ``user`` edits everyone's articles and decides what readers see."""
    return user.has_perm(PUBLISH_PERMISSION)


def can_change(user, article):
    """Editors change any article; a writer, only a draft of their own."""
    return is_editor(user) or (
        article.created_by_id == user.pk and article.status == Article.Status.DRAFT
    )


def can_delete(user, article):
    """Editors delete any article; a writer, only a draft of their own never published."""
    if is_editor(user):
        return True
    return can_change(user, article) and not article.was_ever_published()


def check_publishing_rights(article):
    """A last line behind the read-only fields: without the permission, status never moves.

    It also covers paths that build the instance elsewhere, such as restoring a revision.
    """
    saved = Article.objects.filter(pk=article.pk).values_list("status", "published_at").first()
    if saved is None:
        if article.status != Article.Status.DRAFT:
            raise PermissionDenied
    elif (article.status, article.published_at) != saved:
        raise PermissionDenied


class RolesMixin:
    """The rule applied to a ModelAdmin, configured by class attributes.

    Everyone on the desk lists and opens every article; what they may not change they see
    read-only.

    ``editor_fields`` are shown to editors only, ``publishing_fields`` are read-only for
    writers, and ``editor_inlines`` appear to editors on an existing article.
    """

    editor_fields = ()
    publishing_fields = ()
    editor_inlines = ()

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or can_change(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or can_delete(request.user, obj)

    def has_publish_permission(self, request):
        return is_editor(request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if is_editor(request.user):
            return fieldsets
        hidden = set(self.editor_fields)
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not is_editor(request.user):
            readonly += self.publishing_fields
        return readonly

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and is_editor(request.user):
            inlines += self.editor_inlines
        return inlines

    def save_model(self, request, obj, form, change):
        if not is_editor(request.user):
            check_publishing_rights(obj)
        super().save_model(request, obj, form, change)
