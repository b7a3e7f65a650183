"""A save the storage cannot take comes back as the form, as the editor posted it, with an
error: an image uploaded while object storage is down or hung, instead of a server error."""

import logging

from newsroom.storage import STORAGE_ERRORS

logger = logging.getLogger(__name__)


class StorageFaultMixin:
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except STORAGE_ERRORS:
            if request.method != "POST":
                raise
            # The save's transaction was rolled back: nothing of it was kept.
            logger.exception("Article form not saved: the storage failed")
            request.storage_failed = True
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # A class made for this request (modelform_factory): the flag stays with it.
        form.storage_failed = getattr(request, "storage_failed", False)
        return form
