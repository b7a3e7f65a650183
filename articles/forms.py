from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles import search
from articles.models import Author

DATE_ERROR = _("Give dates as YYYY-MM-DD, for example 2024-10-31.")


class SearchForm(forms.Form):
    """The reader's search: words, and optional tag, author and date range (?from=…&to=…)."""

    q = forms.CharField(
        label=_("Words to look for"),
        required=False,
        max_length=search.MAX_LENGTH,
        error_messages={
            "max_length": _("Your search is too long: keep it under %(limit_value)d characters.")
        },
    )
    tag = forms.SlugField(label=_("Tag"), required=False)
    author = forms.SlugField(label=_("Author"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword, so these two cannot be declared as class attributes.
        for name, label in (("from", _("From")), ("to", _("To"))):
            self.fields[name] = forms.DateField(
                label=label, required=False, error_messages={"invalid": DATE_ERROR}
            )

    def clean_tag(self):
        return self.existing(Tag, "tag", _("There is no tag “%(slug)s”."))

    def clean_author(self):
        return self.existing(Author, "author", _("There is no author “%(slug)s”."))

    def existing(self, model, name, message):
        slug = self.cleaned_data[name]
        if not slug:
            return None
        try:
            return model.objects.get(slug=slug)
        except model.DoesNotExist:
            raise forms.ValidationError(message, params={"slug": slug}) from None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date comes after the end date."))
        return cleaned

    @property
    def query(self):
        return search.parse(self.cleaned_data["q"])

    def filter(self, articles):
        """``articles`` narrowed to the tag, author and (Paris) dates asked for."""
        data = self.cleaned_data
        lookups = {
            "tags": data["tag"],
            "authors": data["author"],
            "published_at__date__gte": data["from"],
            "published_at__date__lte": data["to"],
        }
        return articles.filter(**{key: value for key, value in lookups.items() if value})
