"""Nothing lost: export_archive writes everything to one file, import_archive brings it all back."""

import hashlib
import io
import json
import tempfile
import zipfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import TestCase, TransactionTestCase, override_settings

from articles.management import backup
from articles.models import Article, Author, Correction
from articles.search import parse
from stories.models import ArticlePlace, Story
from tests.factories import jpeg_upload, make_article, make_place, make_story

USER_FIELDS = ("created_by_id", "history_user_id")


def snapshot():
    """Every archived row, field by field, with accounts and content types by their names.

    Their primary keys belong to the database, so a restore may give them other ones.
    """
    usernames = dict(get_user_model().objects.values_list("pk", "username"))
    rows = {}
    for model, _ in backup.datasets():
        rows[model._meta.label] = [
            {
                field: usernames.get(value)
                if field in USER_FIELDS
                else ContentType.objects.get_for_id(value).natural_key()
                if field == "content_type_id"
                else value
                for field, value in row.items()
                if field != "search_vector"
            }
            for row in model._base_manager.order_by("pk").values()
        ]
    for through in (Article.authors.through, Article.pinned_related.through):
        pairs = through.objects.values_list(*(f.attname for f in through._meta.fields[1:]))
        rows[through._meta.label] = sorted(pairs)
    return rows


def forge(members, manifest, row):
    """Put ``row`` in the archive's first data file, with a checksum to match."""
    data = json.dumps(row).encode()
    entry = manifest["data"][0]
    members[entry["name"]] = data
    entry.update(size=len(data), sha256=hashlib.sha256(data).hexdigest())


def temporary_folder(test):
    return Path(test.enterContext(tempfile.TemporaryDirectory()))


def rewrite(path, change):
    """Rewrite the archive at ``path`` after ``change(members, manifest)``, a dict of data."""
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    manifest = json.loads(members.pop(backup.MANIFEST))
    change(members, manifest)
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
        target.writestr(backup.MANIFEST, json.dumps(manifest))


def empty_the_database():
    for model, _ in backup.datasets():
        model._base_manager.all().delete()


def media():
    return {name: default_storage.open(name).read() for name in backup.media_names()}


class RoundTripTests(TransactionTestCase):
    """An archive restored into a flushed database (every table empty) and an empty media folder."""

    def setUp(self):
        call_command("loaddata", "demo", verbosity=0)
        call_command("draw_share_cards", verbosity=0)
        call_command("generate_archive", articles=500, seed=11, verbosity=0)
        editor = get_user_model().objects.create_user("redactrice")
        seed, other = Article.objects.filter(pk__lt=1000).order_by("pk")[:2]
        seed.hero_image, seed.hero_alt, seed.hero_credit = jpeg_upload(), "Une photo", "AFP"
        seed.created_by = seed._history_user = editor
        seed.save()
        seed.slug, seed.title = "un-nouveau-titre", "Un nouveau titre"
        seed.save()  # a second revision, and a former slug
        seed.pinned_related.set([other, Article.objects.get(pk=1200)])
        Correction.objects.create(article=seed, text="Une erreur de date a été corrigée.")
        synthetic = Article.objects.get(pk=1300)
        synthetic.title = "Un article synthétique retouché"
        synthetic.save()  # a revision and a share card of its own
        # Besides the demo's story and place: a story with an image and a key piece, and a
        # place with its coordinates that is one article's dateline and another's subject.
        self.story = make_story(
            articles=[synthetic, seed], key=[synthetic], image=jpeg_upload(), image_alt="Un pont"
        )
        place = make_place(name="Kherson", latitude="46.63542", longitude="32.61687")
        ArticlePlace.objects.create(article=synthetic, place=place, is_dateline=True)
        ArticlePlace.objects.create(article=seed, place=place)

    def test_everything_comes_back_field_by_field_and_images_byte_for_byte(self):
        before, files = snapshot(), media()
        self.assertEqual(len(before["articles.Article"]), 503)
        self.assertEqual(len(before["articles.HistoricalArticle"]), 3)
        self.assertEqual(len(before["stories.Story"]), 2)
        self.assertEqual(len(before["stories.StoryPiece"]), 5)
        self.assertEqual(len(before["stories.Place"]), 2)
        self.assertEqual(len(before["stories.ArticlePlace"]), 3)
        self.assertTrue(any(name.startswith("heroes/renditions/") for name in files))
        self.assertTrue(any(name.startswith("share-cards/") for name in files))
        renditions = self.story.image_renditions
        self.assertTrue(renditions)
        self.assertLessEqual({self.story.image.name, renditions[0]["webp"]}, set(files))

        folder = temporary_folder(self)
        path = folder / "backup.zip"
        call_command("export_archive", path, stdout=io.StringIO())
        call_command("flush", interactive=False, verbosity=0)
        self.assertFalse(Article.objects.exists())

        with override_settings(MEDIA_ROOT=folder / "restored"):
            call_command("import_archive", path, stdout=io.StringIO())
            self.assertEqual(snapshot(), before)
            self.assertEqual(media(), files)

        found = Article.objects.search(parse('"synthétique retouché"'))
        self.assertEqual([a.pk for a in found], [1300])
        # Sequences were moved past the restored keys.
        self.assertGreater(make_article().pk, 1499)
        story = Story.objects.get(pk=self.story.pk)
        self.assertEqual([a.pk for a in story.key_pieces()], [1300])
        self.assertGreater(make_story().pk, story.pk)


class ExportTests(TestCase):
    def export(self, path):
        out, err = io.StringIO(), io.StringIO()
        call_command("export_archive", path, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_archive_is_readable_by_its_owner_only(self):
        """It holds drafts and embargoed articles."""
        make_article(status=Article.Status.DRAFT)
        path = temporary_folder(self) / "backup.zip"
        out, _ = self.export(path)
        self.assertIn("1 articles.article", out)
        self.assertEqual(path.stat().st_mode & 0o777, 0o600)

    def test_a_missing_image_is_named_and_the_rest_archived(self):
        article = make_article()  # drawn a share card
        default_storage.delete(article.share_card.name)
        path = temporary_folder(self) / "backup.zip"
        _, err = self.export(path)
        self.assertIn(f"Missing from the media folder: {article.share_card.name}", err)
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(backup.MANIFEST))
        self.assertEqual(manifest["missing_media"], [article.share_card.name])

    def test_the_manifest_names_the_migrations_of_stories_and_live_coverage_too(self):
        """A restore needs a database migrated as far as each archived app's schema."""
        path = temporary_folder(self) / "backup.zip"
        self.export(path)
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read(backup.MANIFEST))
        apps = {name.split(".")[0] for name in manifest["migrations"]}
        self.assertEqual(apps, {"articles", "auth", "contenttypes", "live", "stories", "taggit"})

    def test_an_unwritable_place_is_a_clear_error(self):
        path = temporary_folder(self) / "no-such-folder" / "backup.zip"
        with self.assertRaisesMessage(CommandError, f"Could not write {path}"):
            self.export(path)


class BadArchiveTests(TestCase):
    """A missing, foreign, damaged or unsuitable file gives a clear error and changes nothing."""

    @classmethod
    def setUpTestData(cls):
        cls.article = make_article(title="Déjà là")

    def setUp(self):
        self.path = temporary_folder(self) / "backup.zip"
        call_command("export_archive", self.path, stdout=io.StringIO())

    def assertRefused(self, message, path=None):
        with self.assertRaisesMessage(CommandError, message):
            call_command("import_archive", path or self.path, stdout=io.StringIO())
        self.assertEqual(list(Article.objects.values_list("title", flat=True)), ["Déjà là"])

    def test_a_database_with_articles_is_refused(self):
        self.assertRefused("The database already holds rows (articles.author, articles.article")

    def test_a_database_with_a_story_only_is_refused(self):
        empty_the_database()
        make_story(title="Un fil déjà là")
        with self.assertRaisesMessage(CommandError, "already holds rows (stories.story)"):
            call_command("import_archive", self.path)
        self.assertFalse(Article.objects.exists())

    def test_a_missing_file(self):
        self.assertRefused("There is no file at", self.path.with_suffix(".nope"))

    def test_a_foreign_file(self):
        with open(self.path, "wb") as file:
            file.write(b"%PDF-1.7 not a zip")
        self.assertRefused("is not a newsroom archive (not a zip file")

    def test_a_zip_that_is_not_an_archive(self):
        with zipfile.ZipFile(self.path, "w") as archive:
            archive.writestr("manifest.json", '{"format": "something-else", "version": 1}')
        self.assertRefused("is not a newsroom archive (no valid manifest.json)")
        with zipfile.ZipFile(self.path, "w") as archive:
            archive.writestr("photo.jpg", b"\xff\xd8")
        self.assertRefused("is not a newsroom archive (no valid manifest.json)")

    def test_a_truncated_file(self):
        with open(self.path, "rb") as file:
            data = file.read()
        with open(self.path, "wb") as file:
            file.write(data[: len(data) // 2])
        self.assertRefused("is not a newsroom archive")

    def test_a_damaged_member(self):
        empty_the_database()

        def tamper(members, manifest):
            name = "data/articles.article.jsonl"
            members[name] = members[name].replace("Déjà".encode(), "Volé".encode())

        rewrite(self.path, tamper)
        with self.assertRaisesMessage(CommandError, "fails its checksum"):
            call_command("import_archive", self.path)
        self.assertFalse(Article.objects.exists())

    def test_rows_that_cannot_be_restored(self):
        empty_the_database()
        rows = [
            ({"model": "articles.author", "pk": "one", "fields": {}}, "could not be restored"),
            ([1, 2], "could not be restored"),
            ({"model": "auth.user", "pk": 1, "fields": {"is_superuser": True}}, "may not restore"),
        ]
        for row, message in rows:
            with self.subTest(row=row):
                rewrite(self.path, lambda members, manifest, row=row: forge(members, manifest, row))
                with self.assertRaisesMessage(CommandError, message):
                    call_command("import_archive", self.path)
                self.assertFalse(get_user_model().objects.exists())
                self.assertFalse(Author.objects.exists())

    def test_a_newer_format_version(self):
        rewrite(self.path, lambda members, manifest: manifest.update(version=2))
        self.assertRefused("archive of format version 2; this code reads up to version 1")

    def test_a_database_not_migrated_as_far_as_the_archive(self):
        empty_the_database()

        rewrite(
            self.path,
            lambda members, manifest: manifest["migrations"].append(
                "articles.9999_from_the_future"
            ),
        )
        with self.assertRaisesMessage(CommandError, "articles.9999_from_the_future"):
            call_command("import_archive", self.path)

    def test_a_file_outside_the_media_folder(self):
        empty_the_database()

        def escape(members, manifest):
            name, data = "media/../../passwd", b"root:x:0:0"
            members[name] = data
            entry = {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            manifest["media"].append(entry)

        rewrite(self.path, escape)
        with self.assertRaisesMessage(CommandError, "outside the media folder"):
            call_command("import_archive", self.path)


class OlderArchiveTests(TestCase):
    def test_an_archive_from_before_stories_is_restored(self):
        """Without stories' data files, and made before stories' migrations."""
        make_article(title="D'avant les fils")
        path = temporary_folder(self) / "backup.zip"
        call_command("export_archive", path, stdout=io.StringIO())
        dropped = []

        def drop_stories(members, manifest):
            for entry in list(manifest["data"]):
                if entry["model"].startswith("stories."):
                    manifest["data"].remove(entry)
                    dropped.append(members.pop(entry["name"]))
            manifest["migrations"] = [
                name for name in manifest["migrations"] if not name.startswith("stories.")
            ]

        rewrite(path, drop_stories)
        self.assertEqual(len(dropped), 4)
        empty_the_database()
        call_command("import_archive", path, stdout=io.StringIO())
        self.assertEqual(
            list(Article.objects.values_list("title", flat=True)), ["D'avant les fils"]
        )
        self.assertFalse(Story.objects.exists())
