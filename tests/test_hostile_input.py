"""Hostile requests over every public URL pattern: no 5xx, no payload echoed raw, a clear 4xx.

The table is built from a handful of payload families crossed with every place a reader's
request can carry them (path parameters, query parameters, methods, bodies, headers).
"""

import re
from dataclasses import dataclass, field
from itertools import count

from django.conf import settings
from django.test import Client, TestCase
from django.urls import URLResolver, get_resolver, reverse

from articles.models import Article
from tests.factories import SEED_URL, make_live, make_user, post_update

SEED_SLUG = SEED_URL.split("/")[-2]

XSS = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "'><img src=x onerror=alert(1)>",
]
SQL = [
    "' OR '1'='1",
    "1; DROP TABLE articles_article;--",
    "1 UNION SELECT password FROM auth_user--",
]
# Percent-escapes that decode to invalid UTF-8, and a null byte.
BROKEN_ESCAPES = ["%ff", "%c3%28", "%ed%a0%80", "%e2%82", "%00", "abc%00def"]
TRAVERSAL = [
    "../../../../etc/passwd",
    "..%2f..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "..%5c..%5c..%5cetc%5cpasswd",
    "....//....//....//etc/passwd",
    "../newsroom/settings.py",
]
# Huge, negative, non-decimal, and Unicode digits ("²" passes str.isdigit() but not int()).
BAD_PAGES = ["99999999", str(10**30), "9" * 5000, "-1", "0", "1e9", "0x10", "NaN", "²", "٣"]
OVERLONG = "a" * 5000
# What goes into each parameter of each route (slugs, dates, numbers).
PARAMETER_PAYLOADS = [*XSS, *SQL, *BROKEN_ESCAPES, OVERLONG, "..", "%2e%2e"]

STORY_URL = "/stories/guerre-en-ukraine-la-ligne-de-front/"
LISTING_URLS = ["/", "/tags/ukraine/", "/authors/la-redaction/", "/archives/2024/", "/stories/"]
PUBLIC_URLS = [
    *LISTING_URLS,
    "/archives/2024/10/",
    "/archives/2024/10/27/",
    SEED_URL,
    STORY_URL,
    STORY_URL + "oldest/",
    STORY_URL + "rss/",
    "/places/paris/",
    "/places/paris/atom/",
]
NOT_FOUND = {404}
ANSWERED = set(range(200, 500))
TOKEN = "a" * 32  # An unmasked CSRF secret, sent as cookie and header: a valid token.


@dataclass
class Case:
    path: str
    expected: set
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    content_type: str = "application/octet-stream"
    csrf: bool = True
    payload: str = ""


def date_cases():
    """Dates no calendar has, or at its very edges, in the archives and article URLs."""
    for year, month, day in [
        ("0000", "01", "01"),
        ("0001", "01", "01"),
        ("9999", "12", "31"),
        ("2024", "13", "01"),
        ("2024", "00", "10"),
        ("2024", "02", "30"),
        ("2023", "02", "29"),
    ]:
        yield Case(f"/archives/{year}/", {200, 404})
        yield Case(f"/archives/{year}/{month}/", NOT_FOUND)
        yield Case(f"/archives/{year}/{month}/{day}/", NOT_FOUND)
        yield Case(f"/articles/{year}/{month}/{day}/no-such-article/", NOT_FOUND)
        # A known slug under an impossible date is still found, or refused, never a crash.
        yield Case(f"/articles/{year}/{month}/{day}/{SEED_SLUG}/", {301, 404})
    for digits in ["2024x", "20245", "1", "-2024"]:
        yield Case(f"/archives/{digits}/", NOT_FOUND)


def story_cases():
    """A story's continuations name an article by number: huge, foreign or absent ones."""
    for direction in ("before", "after"):
        for number in ["0", "2", "99999999", str(2**63), str(10**30), "9" * 500]:
            expected = {200} if number == "2" else NOT_FOUND
            yield Case(f"{STORY_URL}{direction}/{number}/", expected)
        for value in [*XSS, *SQL, "-1", "²"]:
            yield Case(f"{STORY_URL}{direction}/{value}/", NOT_FOUND, payload=value)
    for number in ["0", "99999999", str(10**30)]:
        yield Case(f"/places/paris/before/{number}/", NOT_FOUND)
    for value in [*XSS, *SQL, OVERLONG]:
        yield Case(f"{STORY_URL}?page={value}&order={value}", {200}, payload=value)


LIVE_POLL = "/live/1/updates.json"  # the demo's first article, made live by the tests below


def live_cases():
    """A live page's poll takes a change number; its pages and permanent links an update's id."""
    for value in [*BAD_PAGES, *XSS, *SQL, *BROKEN_ESCAPES, OVERLONG, "01", "1.0"]:
        expected = {200} if value in ("0", "99999999") else {400}  # 99999999: "reload"
        yield Case(f"{LIVE_POLL}?after={value}", expected, payload=value)
    yield Case(f"{LIVE_POLL}?after=0&after=1", {200, 400})
    for number in ["0", "99999999", str(2**63), str(10**30), "9" * 500, "-1", "²"]:
        yield Case(f"/live/1/from/{number}/", NOT_FOUND)
        yield Case(f"/live/updates/{number}/", NOT_FOUND)
        yield Case(f"/live/{number}/updates.json?after=0", NOT_FOUND)
    for value in [*XSS, *SQL]:
        yield Case(f"/live/1/from/{value}/", NOT_FOUND, payload=value)
    yield Case(LIVE_POLL + "?after=0", {405}, method="POST")


HISTORY_URL = SEED_URL + "historique/"  # the seed article, given a revision by the tests below


def history_cases():
    """An article's public history: version numbers in the path, the comparison's query."""
    yield Case(HISTORY_URL, {200})
    for number in ["0", "99999999", str(2**63), str(10**30), "9" * 500]:
        yield Case(f"{HISTORY_URL}{number}/", NOT_FOUND)
        yield Case(f"{HISTORY_URL}comparer/{number}/", NOT_FOUND)
        yield Case(f"{HISTORY_URL}comparer/{number}/{number}/", NOT_FOUND)
    for value in [*XSS, *SQL, "-1", "²"]:
        yield Case(f"{HISTORY_URL}{value}/", NOT_FOUND, payload=value)
    for value in [*BAD_PAGES, *XSS, *SQL, *BROKEN_ESCAPES, OVERLONG]:
        # A null character is refused in any query string (PostgreSQL refuses it too).
        expected = {400}
        yield Case(f"{HISTORY_URL}comparer/?from={value}&to={value}", expected, payload=value)
        yield Case(f"{HISTORY_URL}comparer/?from=1&to={value}", expected, payload=value)
    yield Case(f"{HISTORY_URL}comparer/", {302})
    yield Case(f"{HISTORY_URL}comparer/?from=1&from=2", {302, 400})
    yield Case(HISTORY_URL, {405}, method="POST")


def query_parameter_cases():
    """Payloads in the page number, and in parameters no view reads."""
    for url in LISTING_URLS:
        for value in [*BAD_PAGES, *XSS, *SQL, *BROKEN_ESCAPES]:
            # A null character is refused in any query string (PostgreSQL refuses it too).
            expected = {400} if "%00" in value else NOT_FOUND
            yield Case(f"{url}?page={value}", expected, payload=value)
        yield Case(f"{url}?q=%00", {400})
        yield Case(f"{url}?%00=1", {400})
    too_many = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    for url in LISTING_URLS:
        yield Case(f"{url}?{too_many}", {400})
    for value in [*XSS, *SQL, OVERLONG]:
        yield Case(f"{SEED_URL}?page={value}&utm_source={value}", {200}, payload=value)
        yield Case(f"/?q={value}&lang={value}", {200}, payload=value)
        yield Case(f"/admin/login/?next={value}", {200}, payload=value)


PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?[^>]+>")
SAMPLES = {"yyyy": "2024", "mm": "10", "dd": "27", "int": "1", "row": "1", "slug": "ukraine"}


def public_routes(patterns=None, prefix=""):
    """Every route of the URLconf as written ("tags/<slug:slug>/"), but the admin's and media's."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("admin/", "^")):
            continue
        if isinstance(entry, URLResolver):
            yield from public_routes(entry.url_patterns, route)
        else:
            yield route


def fill(route, slot=None, value=""):
    """A path for ``route``: sample values in its parameters, and ``value`` in the slot-th one."""
    position = count()

    def parameter(match):
        return value if next(position) == slot else SAMPLES.get(match["converter"], "news")

    return "/" + PARAMETER.sub(parameter, route)


def every_route_cases():
    """The same payloads in every route of the URLconf, so that a new page is covered at once."""
    for route in public_routes():
        path = fill(route)
        for value in XSS:
            yield Case(f"{path}?page={value}&q={value}", ANSWERED, payload=value)
        for slot in range(len(PARAMETER.findall(route))):
            for value in PARAMETER_PAYLOADS:
                yield Case(fill(route, slot, value), NOT_FOUND, payload=value)
        for method in ("PUT", "PATCH", "DELETE"):
            yield Case(path, {405}, method=method)


def traversal_cases():
    for value in TRAVERSAL:
        for prefix in ("/media/", "/static/", "/tags/"):
            yield Case(prefix + value, {400, 404})
    yield Case("/media/", {404})
    yield Case("/media/%00", {400, 404})
    # Longer than any file system's name: asking the disk for it fails, and is a 404.
    for path in ("a" * 256, "heroes/2024/10/" + "%C3%A9" * 128 + ".jpg", "x" * 300 + "/a.jpg"):
        yield Case(f"/media/{path}", NOT_FOUND)


def method_cases():
    """Reader pages are read-only: unsafe methods are refused, with or without a CSRF token."""
    for url in PUBLIC_URLS:
        yield Case(url, {405}, method="POST")
        yield Case(url, {403}, method="POST", csrf=False)
        for method in ("PROPFIND", "TRACE"):
            yield Case(url, {405}, method=method)
        yield Case(url, {200}, method="HEAD")


def body_cases():
    too_big = b"a=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    many_fields = b"&".join(b"f%d=1" % i for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    form = "application/x-www-form-urlencoded"
    for url in ("/", SEED_URL, "/admin/login/"):
        yield Case(url, {400}, method="POST", body=too_big, content_type=form)
        yield Case(url, {400}, method="POST", body=many_fields, content_type=form)
    # A body announced over the limit is refused on its headers, whatever follows them.
    huge = {"content-length": str(settings.MAX_REQUEST_BYTES + 1)}
    chunked = {"transfer-encoding": "chunked"}
    for url in ("/", SEED_URL, "/admin/login/", "/admin/articles/article/add/"):
        yield Case(url, {413}, method="POST", headers=huge, content_type="multipart/form-data")
        yield Case(url, {411}, method="POST", headers=chunked, body=b"5\r\nhello\r\n0\r\n\r\n")
    broken = [("multipart/form-data", b"--x\r\n\x00\xff"), (form + "; charset=bogus", b"\xff")]
    for content_type, body in broken:
        yield Case("/", {400, 405}, method="POST", body=body, content_type=content_type)


def header_cases():
    for host in ("evil.example", "127.0.0.1:8000@evil.example", "", "127.0.0.1\r\nX: y", "a" * 300):
        yield Case(SEED_URL, {400}, headers={"host": host})
    for header in ("x-forwarded-host", "x-forwarded-proto", "x-original-url", "referer"):
        yield Case(SEED_URL, {200}, headers={header: "https://evil.example"})
    for value in XSS:
        yield Case("/", {200}, headers={"cookie": f"sessionid={value}", "user-agent": value})


CASES = [
    *date_cases(),
    *story_cases(),
    *live_cases(),
    *history_cases(),
    *query_parameter_cases(),
    *traversal_cases(),
    *method_cases(),
    *body_cases(),
    *header_cases(),
    *every_route_cases(),
]


class HostileRequestTests(TestCase):
    fixtures = ["demo"]

    @classmethod
    def setUpTestData(cls):
        # A revision of the seed for the public history's cases (fixtures leave none).
        Article.objects.get(slug=SEED_SLUG).save()
        post_update(make_live(article=Article.objects.get(pk=1)), body="<p>Du nouveau.</p>")

    def send(self, case):
        client = Client(enforce_csrf_checks=True, headers=case.headers)
        extra = {}
        if case.csrf:
            client.cookies[settings.CSRF_COOKIE_NAME] = TOKEN
            extra["headers"] = {"x-csrftoken": TOKEN}
        if case.method in ("GET", "HEAD", "TRACE"):
            return client.generic(case.method, case.path, **extra)
        return client.generic(
            case.method, case.path, case.body, content_type=case.content_type, **extra
        )

    def test_the_table_is_large_enough_and_covers_every_public_pattern(self):
        self.assertGreaterEqual(len(CASES), 100)
        self.assertGreaterEqual(len(list(public_routes())), 7)
        prefixes = {case.path.split("/")[1] for case in CASES}
        readers = ("", "articles", "archives", "tags", "authors", "stories", "places", "live")
        for prefix in (*readers, "admin", "media", "static"):
            self.assertIn(prefix, prefixes)

    def test_hostile_requests_get_a_clear_refusal_and_never_an_echo(self):
        for case in CASES:
            label = f"{case.method} {case.path[:120]} {case.headers}"
            with self.subTest(label):
                response = self.send(case)
                self.assertLess(response.status_code, 500)
                self.assertIn(response.status_code, case.expected)
                body = b"".join(response) if response.streaming else response.content
                text = body.decode("utf-8", "replace")
                if any(char in case.payload for char in "<>\"'"):
                    self.assertNotIn(case.payload, text)
                self.assertNotIn("evil.example", text)
                self.assertNotIn("root:x:", text)
                self.assertNotIn("SECRET_KEY", text)


class AdminSearchTests(TestCase):
    def test_a_null_character_in_an_editors_search_is_refused_not_a_server_error(self):
        """PostgreSQL refuses a null character in any query: the admin's search would fail."""
        self.client.force_login(make_user("Éditeurs"))
        autocomplete = {"app_label": "articles", "model_name": "article"}
        for url, params in (
            (reverse("admin:autocomplete"), {**autocomplete, "field_name": "pinned_related"}),
            (reverse("admin:articles_article_changelist"), {}),
            (reverse("admin:articles_author_changelist"), {}),
        ):
            for term in ("\x00", "Ukr\x00aine"):
                with self.subTest(url=url, term=term):
                    search = {"term" if "field_name" in params else "q": term}
                    response = self.client.get(url, {**params, **search})
                    self.assertEqual(response.status_code, 400)


class BadRequestPageTests(TestCase):
    """A request refused before any view still gets the site's page in words."""

    REFUSAL = "rien n’a été recherché ni enregistré"

    def test_a_null_character_in_the_address_gets_the_400_page(self):
        with self.assertNumQueries(0):  # fed by settings alone
            response = self.client.get("/search/", {"q": "Ukr\x00aine"})
        self.assertContains(response, self.REFUSAL, status_code=400)
        self.assertContains(response, "<title>Requête invalide – ", status_code=400)

    def test_an_unknown_host_gets_the_same_page_without_echoing_it(self):
        with self.assertNumQueries(0):
            response = Client(HTTP_HOST="evil.example").get(SEED_URL)
        self.assertContains(response, self.REFUSAL, status_code=400)
        self.assertNotContains(response, "evil.example", status_code=400)
