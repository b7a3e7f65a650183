"""A save the storage cannot take comes back as the form, as the editor posted it, with an
error: an image uploaded while object storage is down or hung, instead of a server error
that loses what the editor typed."""

import logging

from django import forms
from django.utils.translation import gettext_lazy as _

from newsroom.storage import STORAGE_ERRORS

logger = logging.getLogger(__name__)

STORAGE_FAILED = _(
    "The image storage did not answer: nothing was saved. Your changes are below; choose the "
    "image again if you had chosen one, and save in a moment."
)


class StorageFaultMixin:
    """For a ModelAdmin whose objects have files: its change form survives the storage."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except STORAGE_ERRORS:
            if request.method != "POST":
                raise
            # The save's transaction was rolled back: nothing of it was kept.
            logger.exception("%s not saved: the storage failed", self.opts.verbose_name)
            request.storage_failed = True
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if getattr(request, "storage_failed", False):
            form = type(form.__name__, (RefusedForStorage, form), {})
        return form


class RefusedForStorage:
    """Put before a form class: the form refuses what was posted, and asks the storage
    nothing more (articles.admin.kept_image)."""

    storage_failed = True

    def clean(self):
        raise forms.ValidationError(STORAGE_FAILED, code="storage")
