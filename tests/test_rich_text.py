"""The body editor, and the server-side sanitising that holds whatever the browser sends."""

import json
import re

from django.test import TestCase
from django.urls import reverse

from articles.admin.forms import ArticleAdminForm
from tests.factories import make_article, make_user

# Known payloads, each with what must not survive it.
XSS_PAYLOADS = [
    ("<script>alert(1)</script>", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ('<svg onload="alert(1)"><circle/></svg>', "<svg"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "alert"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "alert"),
    ('<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', "data:"),
    ('<a href="vbscript:msgbox(1)">x</a>', "vbscript"),
    ('<iframe src="https://evil.example/"></iframe>', "<iframe"),
    ('<p style="background:url(javascript:alert(1))">x</p>', "style"),
    ('<form action="https://evil.example/"><input name="q"></form>', "<form"),
    ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "onerror"),
    ('<p><a href="https://example.org/" target="_blank" onclick="x()">x</a></p>', "onclick"),
    ('<object data="javascript:alert(1)"></object>', "<object"),
    ('<h2 onmouseover="alert(1)">Titre</h2>', "onmouseover"),
    ("<<script>script>alert(1)<</script>/script>", "<script"),
]


class XssPayloadTests(TestCase):
    def test_known_payloads_are_defused_on_save(self):
        for payload, forbidden in XSS_PAYLOADS:
            with self.subTest(payload=payload):
                body = make_article(body=payload).body
                self.assertNotIn(forbidden, body.lower())

    def test_links_keep_http_https_and_mailto_with_rel(self):
        body = make_article(
            body='<p><a href="mailto:redaction@example.org">m</a> <a href="http://a.example/">h</a></p>'
        ).body
        self.assertIn('<a href="mailto:redaction@example.org" rel="noopener noreferrer">', body)
        self.assertIn('<a href="http://a.example/" rel="noopener noreferrer">', body)


class EditorWidgetTests(TestCase):
    def test_body_uses_the_prose_editor_limited_to_the_allowed_markup(self):
        widget_html = str(ArticleAdminForm()["body"])
        self.assertIn("data-django-prose-editor", widget_html)
        for extension in ("Heading", "BulletList", "OrderedList", "Blockquote", "Link"):
            self.assertIn(extension, widget_html)
        self.assertNotIn("Table", widget_html.replace('"table"', ""))

    def test_editor_script_is_served_from_the_package(self):
        media = str(ArticleAdminForm().media)
        self.assertIn("/static/django_prose_editor/", media)
        self.assertNotIn("//cdn", media)


class EditorUnderCspTests(TestCase):
    def test_editor_import_map_runs_under_the_content_security_policy(self):
        self.client.force_login(make_user("Éditeurs"))
        article = make_article()
        revision = article.history.get()
        for url in (
            reverse("admin:articles_article_add"),
            reverse("admin:articles_article_simple_history", args=[article.pk, revision.pk]),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                policy = response["Content-Security-Policy"]
                nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
                self.assertContains(response, f'<script type="importmap" nonce="{nonce}">')

    def test_reader_pages_carry_no_nonce(self):
        response = self.client.get(make_article().get_absolute_url())
        self.assertNotIn("nonce", response["Content-Security-Policy"])


class EditorOffersWhatTheSanitiserKeepsTests(TestCase):
    def config(self):
        widget = ArticleAdminForm()["body"]
        return json.loads(
            re.search(r"data-django-prose-editor-\w+=\"([^\"]+)\"", str(widget))
            .group(1)
            .replace("&quot;", '"')
        )

    def test_no_open_in_new_window_and_no_list_numbering_styles(self):
        extensions = self.config()["extensions"]
        self.assertIs(extensions["Link"]["enableTarget"], False)
        self.assertIs(extensions["OrderedList"]["enableListAttributes"], False)

    def test_what_a_link_dialog_could_add_is_what_the_sanitiser_keeps(self):
        link = '<a href="https://a.example/" target="_blank">x</a>'
        body = make_article(body=f'<ol type="a" start="3"><li>{link}</li></ol>').body
        self.assertEqual(
            body, '<ol><li><a href="https://a.example/" rel="noopener noreferrer">x</a></li></ol>'
        )


class EditorSpeaksFrenchTests(TestCase):
    def test_every_toolbar_button_has_a_french_name(self):
        self.client.force_login(make_user("Éditeurs"))
        response = self.client.get(reverse("admin:articles_article_add"))
        widget = response.context["adminform"].form["body"]
        labels = json.loads(widget.field.widget.attrs["data-toolbar-labels"])
        self.assertEqual(labels["bold"], "Gras")
        self.assertEqual(labels["heading 2"], "Intertitre")
        self.assertEqual(labels["blockquote"], "Citation")
        self.assertTrue(all(label and label != name for name, label in labels.items()))

    def test_the_editors_dialogs_come_with_their_french_catalogue(self):
        self.client.force_login(make_user("Éditeurs"))
        response = self.client.get(reverse("admin:articles_article_jsi18n"))
        self.assertContains(response, "Modifier le lien")
        self.assertContains(response, "Mettre \\u00e0 jour")
