"""Page titles that read as French."""

from django.utils.text import capfirst
from django.utils.translation import gettext_noop

# Django's own message for the button under an inline's rows, which it fills with the rows'
# name capitalised: its French, "Ajouter un objet Fil supplémentaire", puts that capital
# mid-sentence. Our catalogue, which Django reads before its own, words it so that the name
# reads as the label it is: "Ajouter une ligne « Fil »". Named here so that makemessages
# keeps it in the catalogue.
ADD_ANOTHER = gettext_noop("Add another %(verbose_name)s")


class FrenchTitlesMixin:
    """Form titles that read as French: "Ajouter un article", not "Ajout de article".

    Django's French catalogue titles forms "Ajout de %s" and "Modification de %s" around the
    model's name, which French elides before a vowel and precedes with its article: each
    admin names its own titles instead.
    """

    add_title = change_title = view_title = None

    def changelist_view(self, request, extra_context=None):
        # Django's "Sélectionnez l'objet article à changer" reads as a machine's: the list is
        # titled by what it lists.
        title = capfirst(self.opts.verbose_name_plural)
        return super().changelist_view(request, {"title": title, **(extra_context or {})})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if add:
            title = self.add_title
        elif self.has_change_permission(request, obj):
            title = self.change_title
        else:
            title = self.view_title
        context["title"] = title or context["title"]
        return super().render_change_form(request, context, add, change, form_url, obj)
