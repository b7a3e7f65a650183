import io
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.core.management.base import BaseCommand

from articles import shells
from articles.management.progress import ProgressBar
from articles.models import Article
from articles.views import ARTICLE_PAGE_FLAGS, row_exists

BATCH = 500


class Command(BaseCommand):
    help = (
        "Store the readers' page of every published article that has none, or an obsolete one "
        "(after a deploy, say), newest first: ahead of readers and crawlers, who then get it "
        "at the cost of its fresh parts only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="store at most this many pages")

    def handle(self, *args, limit=None, **options):
        if not shells.enabled():
            self.stderr.write("Stored pages are off (ARTICLE_SHELLS, or DEBUG): nothing to do.")
            return
        handler = BaseHandler()
        handler.load_middleware()
        # The flags that have an article rendered whole each time: no page of it to store.
        whole = {name: row_exists(*ARTICLE_PAGE_FLAGS[name]) for name in shells.RENDERED_WHOLE}
        articles = (
            Article.objects.published()
            .annotate(**whole)
            .select_related("shell")
            .defer("shell__html", "body", "backstory")
            .order_by("-published_at", "-pk")
        )
        total = articles.count()
        bar = ProgressBar(self.stderr if options["verbosity"] else None, "Rendering")
        rendered = seen = 0
        for seen, article in enumerate(articles.iterator(chunk_size=BATCH), 1):
            if shells.stored(article) is None and shells.usable_for(article):
                path = article.get_absolute_url()
                response = handler.get_response(reader_request(path))
                if response.status_code != 200:
                    self.stderr.write(f"{path}: {response.status_code}")
                rendered += 1
            if seen % BATCH == 0:
                bar.update(seen, total)
            if rendered == limit:
                break
        bar.update(seen, total)
        bar.finish()
        self.stdout.write(f"{rendered} article page(s) stored.")


def reader_request(path):
    """A request for ``path`` as an anonymous reader makes it at the site's public address,
    which the page cache lets through to the view (``rendering_ahead``)."""
    url = urlsplit(settings.SITE_URL)
    secure = url.scheme == "https"
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": url.hostname,
        "SERVER_PORT": str(url.port or (443 if secure else 80)),
        "HTTP_HOST": url.netloc,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": url.scheme,
        "wsgi.input": io.BytesIO(),
    }
    if secure and settings.SECURE_PROXY_SSL_HEADER:
        header, value = settings.SECURE_PROXY_SSL_HEADER
        environ[header] = value
    request = WSGIRequest(environ)
    request.rendering_ahead = True
    return request
