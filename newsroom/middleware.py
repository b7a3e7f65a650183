"""Requests refused before any view, middleware or form reads them."""

from django.conf import settings
from django.http import HttpResponse

from articles.views import bad_request, error_page


class RequestLimitsMiddleware:
    """A 413 for a body over MAX_REQUEST_BYTES, a 411 for one of unknown length, a 400 for a
    NUL character in the query string.

    It runs first, and judges by the headers alone: Django would otherwise read a whole body
    (spooling files to disk) before the CSRF check refused it. The NUL characters are refused
    because PostgreSQL refuses them in any query, such as the admin's search.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        try:
            length = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return bad_request(request)
        if length > settings.MAX_REQUEST_BYTES:
            # Said in words: an editor's form sent with too large a file lands here.
            megabytes = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            return HttpResponse(error_page("413.html", megabytes=megabytes), status=413)
        if "chunked" in meta.get("HTTP_TRANSFER_ENCODING", "").lower():
            # Django reads no body without a length; browsers always send one with a form.
            return HttpResponse(status=411)
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            return bad_request(request)
        return self.get_response(request)
