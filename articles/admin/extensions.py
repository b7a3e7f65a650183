"""Room on the article admin for other apps, which articles never imports.

An app adds its pieces from its own ``admin`` module (Django imports every app's before the
first request), and the article admin reads these on each request, so no app subclasses or
registers the article admin again::

    from articles.admin import extensions
    extensions.FIELDS["publication"].append("section")
    extensions.LIST_DISPLAY.append("section")
    extensions.INLINES.append(UpdateInline)

Inlines follow Django's own permissions on their model (a user who may neither view nor add
its rows does not see it). Fields must be fields of the article or of the form.
"""

# Fields appended to one of the form's fieldsets, by its key (see ArticleAdmin.fieldset_keys).
FIELDS = {"text": [], "publication": [], "image": []}
# Whole fieldsets, ``(title, {"fields": [...]})``, shown after the article's own.
FIELDSETS = []
# Fields shown on the form but never edited there (e.g. a method of the admin or the model).
READONLY_FIELDS = []
# Columns (field names, or callables decorated with @admin.display) after the list's own.
LIST_DISPLAY = []
LIST_FILTER = []
# Admin actions (functions decorated with @admin.action), offered beside the list's own.
ACTIONS = []
INLINES = []


class ExtensibleMixin:
    """Adds what other apps put in this module to a ModelAdmin's own, on each request.

    The ModelAdmin names its fieldsets' keys in ``fieldset_keys`` (in the order of
    ``fieldsets``) and its own actions in ``own_actions``.
    """

    fieldset_keys = ()
    own_actions = ()

    @property
    def actions(self):
        return [*self.own_actions, *ACTIONS]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (name, {**options, "fields": [*options["fields"], *FIELDS.get(key, ())]})
            for key, (name, options) in zip(self.fieldset_keys, self.fieldsets, strict=True)
        ]
        return fieldsets + FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *READONLY_FIELDS]

    def get_list_display(self, request):
        return [*super().get_list_display(request), *LIST_DISPLAY]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), *LIST_FILTER]

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), *INLINES]
