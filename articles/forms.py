from django import forms
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles import search
from articles.models import Author, Kind, Sourcing

DATE_ERROR = _("Give dates as YYYY-MM-DD, for example 2024-10-31.")
NAME_LENGTH = 120  # the longest tag (100) or author name (120)


class NamedChoiceField(forms.CharField):
    """A tag or an author given as readers see it: its name ("Corée du Nord"), or its slug.

    Case and accents do not matter: "coree du nord" is a slug away from the name. The value is
    the object found, or None when the field is empty.
    """

    def __init__(self, model, missing, **kwargs):
        self.model, self.missing = model, missing
        super().__init__(
            required=False,
            max_length=NAME_LENGTH,
            error_messages={"max_length": _("No name is that long.")},
            **kwargs,
        )

    def clean(self, value):
        name = super().clean(value)
        if not name:
            return None
        slugs = {slugify(name), slugify(name, allow_unicode=True), name}
        # Both columns are unique: at most a few rows, through their indexes.
        found = self.model.objects.filter(Q(name__iexact=name) | Q(slug__in=slugs))[:5]
        # An exact name first, then a name differing in case, then a slug.
        ranked = sorted(found, key=lambda obj: (obj.name != name, obj.name.lower() != name.lower()))
        if not ranked:
            raise forms.ValidationError(self.missing, code="unknown", params={"name": name})
        return ranked[0]


class SearchForm(forms.Form):
    """The reader's search: words, and optional tag, author and date range (?from=…&to=…)."""

    q = forms.CharField(
        label=_("Words to look for"),
        required=False,
        max_length=search.MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={
            "max_length": _("Your search is too long: keep it under %(limit_value)d characters.")
        },
    )
    # Each offers the names in the page's <datalist> of that id.
    tag = NamedChoiceField(
        Tag,
        _("There is no tag “%(name)s”."),
        label=_("Tag"),
        widget=forms.TextInput(attrs={"list": "search-tag-choices", "autocomplete": "off"}),
    )
    author = NamedChoiceField(
        Author,
        _("There is no author “%(name)s”."),
        label=_("Author"),
        widget=forms.TextInput(attrs={"list": "search-author-choices", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of work"),
        required=False,
        choices=[("", _("All kinds")), *Kind.choices],
        error_messages={"invalid_choice": _("Choose a kind of work from the list.")},
    )
    sourcing = forms.ChoiceField(
        label=_("Sourcing"),
        required=False,
        choices=[("", _("Any sourcing")), *Sourcing.choices],
        error_messages={"invalid_choice": _("Choose a sourcing from the list.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="search-%s", label_suffix="", **kwargs)
        # "from" is a Python keyword, so these two cannot be declared as class attributes.
        for name, label in (("from", _("From")), ("to", _("To"))):
            self.fields[name] = forms.DateField(
                label=label,
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={"invalid": DATE_ERROR},
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("The start date comes after the end date."))
        return cleaned

    @property
    def query(self):
        return search.parse(self.cleaned_data["q"])

    def filter(self, articles):
        """``articles`` narrowed to the tag, author, kind, sourcing and (Paris) dates asked for."""
        data = self.cleaned_data
        lookups = {
            "tags": data["tag"],
            "authors": data["author"],
            "kind": data["kind"],
            "sourcing": data["sourcing"],
            "published_at__date__gte": data["from"],
            "published_at__date__lte": data["to"],
        }
        return articles.filter(**{key: value for key, value in lookups.items() if value})


class VersionChoiceForm(forms.Form):
    """Two versions of an article's public history to compare; ``to`` empty is the current one.

    Unbound, it stands for the default comparison: the last change of substance, that is the
    version before the latest listed one (or the only one) against the article as it is now.
    """

    CURRENT = ""

    def __init__(self, history, *args, **kwargs):
        super().__init__(*args, auto_id="compare-%s", label_suffix="", **kwargs)
        self.versions = {str(version.pk): version for version in history.readable_versions}
        choices = [(pk, str(version)) for pk, version in reversed(self.versions.items())]
        readable = list(self.versions)
        default_old = readable[-2] if len(readable) > 1 else (readable or [None])[0]
        # "from" is a Python keyword, so these two cannot be declared as class attributes.
        self.fields["from"] = forms.ChoiceField(
            label=_("Before"), choices=choices, initial=self.initial.get("from", default_old)
        )
        self.fields["to"] = forms.ChoiceField(
            label=_("After"),
            choices=[(self.CURRENT, _("Current version")), *choices],
            required=False,
            initial=self.initial.get("to", self.CURRENT),
        )

    def chosen(self):
        """The two versions compared: ``(old, new)``, with None for the current article."""
        values = (
            self.cleaned_data if self.is_bound else {n: f.initial for n, f in self.fields.items()}
        )
        return self.versions.get(values["from"] or ""), self.versions.get(values["to"] or "")
