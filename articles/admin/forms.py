"""The article form: rich text, checked image, safe id choices and the lock counter."""

import json

from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField

from articles.admin.kept_image import KeptImageMixin
from articles.images import MAX_BYTES, TOO_LARGE, validate_hero_image
from articles.models import Article, Section

# What the editor offers is what articles.html.sanitize() keeps: no link target ("open in a
# new window"), no list numbering styles.
BODY_EXTENSIONS = {
    "Paragraph": True,
    "HardBreak": True,
    "Heading": {"levels": [2, 3]},
    "BulletList": True,
    "OrderedList": {"enableListAttributes": False},
    "ListItem": True,
    "Bold": True,
    "Italic": True,
    "Link": {"protocols": ["http", "https", "mailto"], "enableTarget": False},
    "Blockquote": True,
    "History": True,
}
# The editor's toolbar names its buttons in English, with no catalogue to translate them:
# static/admin/articles/article_form.js puts these names in their place.
TOOLBAR_LABELS = {
    "paragraph": _("Paragraph"),
    "heading 2": _("Heading"),
    "heading 3": _("Subheading"),
    "unordered list": _("Bulleted list"),
    "ordered list": _("Numbered list"),
    "blockquote": _("Quote"),
    "bold": _("Bold"),
    "italic": _("Italic"),
    "insert link": _("Add a link"),
    "remove link": _("Remove the link"),
    "undo": _("Undo"),
    "redo": _("Redo"),
}


class HeroImageField(forms.ImageField):
    """Our checks before Django's, so an editor learns why a file is refused (size, pixels).

    The browser refuses a file over the size limit as soon as it is chosen
    (static/admin/articles/article_form.js): past MAX_REQUEST_BYTES, the server refuses the
    whole form before any field is checked, and what the editor typed would be lost with it.
    """

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "data-max-bytes": MAX_BYTES,
            "data-too-large": TOO_LARGE,
        }

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


class IdField(forms.ModelChoiceField):
    """A choice of one row, whose impossible id is a form error before any query."""

    def to_python(self, value):
        if value not in self.empty_values and not is_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class ArticleAutocomplete(AutocompleteSelectMultiple):
    """Django's autocomplete, minus what no id can be.

    A refused form is shown again with what was posted, and the widget looks it up.
    """

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [pk for pk in value if is_id(pk)], attr)


class ArticleAdminForm(KeptImageMixin, forms.ModelForm):
    """The article form, with the lock counter it was loaded at and a "significant" flag."""

    body = ProseEditorFormField(label=capfirst(_("body")), config={"extensions": BODY_EXTENSIONS})
    edited_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The last save the form was loaded from, to show a refused editor what changed since.
    edited_at = forms.CharField(widget=forms.HiddenInput, required=False)
    significant_update = forms.BooleanField(
        label=_("Significant update"),
        required=False,
        help_text=_("Tick for a change of substance: readers see “Updated on …”. Not for typos."),
    )

    class Meta:
        model = Article
        fields = [
            "kind",
            "title",
            "slug",
            "dateline",
            "standfirst",
            "sourcing",
            "sourcing_source",
            "body",
            "backstory",
            "status",
            "published_at",
            "authors",
            "tags",
            "pinned_related",
            "hero_image",
            "hero_alt",
            "hero_caption",
            "hero_credit",
            "hero_sensitive",
            "hero_warning",
        ]
        field_classes = {
            "hero_image": HeroImageField,
            "authors": IdsField,
            "pinned_related": IdsField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edited_version"].initial = self.instance.version
        if self.instance.updated_at:
            self.fields["edited_at"].initial = self.instance.updated_at.isoformat()
        self.fields["body"].widget.attrs.update(
            {
                "data-toolbar-labels": json.dumps({k: str(v) for k, v in TOOLBAR_LABELS.items()}),
                "data-label": str(self.fields["body"].label),
            }
        )
        if (
            "section" in self.fields
            and self.instance.pk is None
            and not self.initial.get("section")
        ):
            # A new article starts in the first section of the menu. Not required: articles
            # older than sections have none, and their forms still save.
            self.initial["section"] = Section.objects.values_list("pk", flat=True).first()

    def clean_slug(self):
        """An address another article has is refused with a free one to take instead: the form
        fills it in from the headline, and headlines recur ("Le point sur la guerre")."""
        slug = self.cleaned_data["slug"]
        holder = slug and Article.objects.filter(slug=slug).exclude(pk=self.instance.pk).first()
        if holder:
            free = Article(pk=self.instance.pk, title=slug).unique_slug()
            raise forms.ValidationError(
                _("“%(title)s” already has this address. Choose another, such as “%(free)s”."),
                code="unique",
                params={"title": holder.title, "free": free},
            )
        return slug

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
