"""The reference for cached pages: the smallest Django application gunicorn can serve.

One view, SecurityMiddleware and CommonMiddleware, no database. It answers a body as long as the
cached page it is compared with (BENCH_BODY_BYTES), so that the ratio measures what the site's
code costs, not the bytes. bench/http_bench.py serves it with the site's own gunicorn settings:
``gunicorn -c python:newsroom.gunicorn --pythonpath bench reference_app:application``.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ["SECRET_KEY"],
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.common.CommonMiddleware",
    ],
)

BODY = b"x" * int(os.environ.get("BENCH_BODY_BYTES", "1000"))


def page(request):
    return HttpResponse(BODY, content_type="text/html; charset=utf-8")


urlpatterns = [path("", page)]
application = get_wsgi_application()
