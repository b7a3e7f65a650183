"""WSGI entry point, used by gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()


def application(environ, start_response):
    """Django's application, whose answers to HEAD requests carry no body.

    Django builds the answer to HEAD as to GET, headers included (Content-Length, ETag), and
    leaves dropping the body to the server. gunicorn drops it but logs a warning each time:
    a line in the error log for every request of a link checker, an uptime monitor or a
    link-preview fetcher.
    """
    result = django_application(environ, start_response)
    if environ["REQUEST_METHOD"] != "HEAD":
        return result
    # What the server does once it has sent a body: Django's request_finished, files closed.
    if hasattr(result, "close"):
        result.close()
    return []
