"""The rich-text editor under a strict Content-Security-Policy.

The editor (django-prose-editor) loads through an import map, an inline script that runs by
this request's CSP nonce, and injects one known inline stylesheet, allowed by its hash on the
pages that show the editor and nowhere else (see PROSE_EDITOR_STYLE_HASH in the settings).
"""

from csp.decorators import csp_update
from django.conf import settings
from django.utils.decorators import method_decorator
from js_asset import Media

editor_csp = method_decorator(csp_update({"style-src": [settings.PROSE_EDITOR_STYLE_HASH]}))


def with_nonce(media, request):
    """``media`` whose inline import map carries this request's CSP nonce."""
    return Media.from_media(media, nonce=str(request.csp_nonce))


class RichTextCSPMixin:
    """Lets the editor run on a ModelAdmin's change form and revision-restore form."""

    @editor_csp
    def changeform_view(self, *args, **kwargs):
        return super().changeform_view(*args, **kwargs)

    @editor_csp
    def history_form_view(self, *args, **kwargs):
        return super().history_form_view(*args, **kwargs)

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = with_nonce(context["media"], request)
        return super().render_change_form(request, context, *args, **kwargs)

    def render_history_view(self, request, template, context, **kwargs):
        if "adminform" in context:
            # The form restoring a revision carries the same editor, with its media as a string.
            context["media"] = with_nonce(self.media + context["adminform"].media, request)
        return super().render_history_view(request, template, context, **kwargs)
