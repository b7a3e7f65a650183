"""SQLite, the default database, takes several editors saving at once without losing a save."""

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase

EDITORS = 4
SAVES = 100
SETUP = """
import django; django.setup()
from articles.models import Article, Author
article = Article.objects.create(title="Bilan", standfirst="Chapeau.", body="<p>Texte.</p>")
article.authors.add(Author.objects.create(name="La rédaction", slug="la-redaction"))
print(article.pk, article.version)
"""
RESULT = """
import django; django.setup()
from articles.models import Article
article = Article.objects.get()
print(article.version, article.history.count())
"""


class ConcurrentEditorsTests(SimpleTestCase):
    def setUp(self):
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{Path(folder.name) / 'db.sqlite3'}",
            "MEDIA_ROOT": str(Path(folder.name) / "media"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        }
        self.python([str(settings.BASE_DIR / "manage.py"), "migrate", "--verbosity", "0"])

    def python(self, arguments):
        result = subprocess.run(
            [sys.executable, *arguments],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.split(maxsplit=1)

    def test_four_editors_saving_at_once_lose_no_save(self):
        pk, start = self.python(["-c", SETUP])
        editors = [
            subprocess.Popen(
                [sys.executable, "-m", "tests.admin_style_saves", pk, str(SAVES), f"editor-{n}"],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for n in range(EDITORS)
        ]
        lost = []
        for editor in editors:
            out, err = editor.communicate(timeout=300)
            self.assertEqual(editor.returncode, 0, err)
            lost.append(out.strip())
        self.assertEqual([line.split()[0] for line in lost], ["0"] * EDITORS, lost)
        version, revisions = self.python(["-c", RESULT])
        self.assertEqual(int(version), int(start) + EDITORS * SAVES)
        self.assertEqual(int(revisions), 1 + EDITORS * SAVES)
