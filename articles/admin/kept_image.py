"""An image chosen before a form error is kept, so the editor does not pick it again.

A refused form comes back without its file (browsers never refill a file input): the upload
is stored aside, the form carries a signed token for it, and the next submission takes it
back, unless the editor chose another image or removed it.
"""

import secrets
from datetime import timedelta
from pathlib import PurePath

from django import forms
from django.core import signing
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext

SALT = "articles.admin.kept-image"
FOLDER = "kept-uploads/"
MAX_AGE = timedelta(days=2)


def keep(upload):
    """Store ``upload`` aside under an unguessable name; a signed token finds it again."""
    upload.seek(0)
    name = default_storage.save(f"{FOLDER}{secrets.token_hex(16)}", upload)
    return signing.dumps({"name": name, "file": PurePath(upload.name).name}, salt=SALT)


def take(token):
    """The upload ``token`` stands for, removed from where it was kept; None if gone or forged."""
    try:
        kept = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    name = kept["name"]
    if not name.startswith(FOLDER) or not default_storage.exists(name):
        return None
    with default_storage.open(name) as file:
        upload = ContentFile(file.read(), name=kept["file"])
    default_storage.delete(name)
    return upload


class KeptImageMixin(forms.Form):
    """Keeps the upload of ``kept_image_field`` across a refused submission of a ModelForm."""

    kept_image_field = "hero_image"
    kept_image = forms.CharField(widget=forms.HiddenInput, required=False)
    # True when the storage failed to take this submission (articles.admin.storage_faults).
    storage_failed = False

    def clean(self):
        cleaned = super().clean()
        name = self.kept_image_field
        token = self.data.get(self.add_prefix("kept_image"))
        chosen = self.files.get(self.add_prefix(name))
        # False: the editor ticked "clear"; a field in error keeps its own message.
        if token and not chosen and cleaned.get(name) is not False and name not in self._errors:
            cleaned[name] = take(token) or cleaned.get(name)
        return cleaned

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors or self.kept_image_field in self._errors:
            return
        if self.storage_failed:  # nor can it keep the image
            return
        image = self.cleaned_data.get(self.kept_image_field)
        if isinstance(image, File) and not isinstance(image, FieldFile):
            self.data = self.data.copy()
            self.data[self.add_prefix("kept_image")] = keep(image)
            # The bound field copied its help text when the form was cleaned.
            self[self.kept_image_field].help_text = gettext(
                "Kept from your last try: %(name)s. It is saved with the article unless you "
                "choose another image."
            ) % {"name": PurePath(image.name).name}
