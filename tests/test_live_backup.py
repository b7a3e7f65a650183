"""Live coverage survives a backup and restore: its updates, withdrawn ones, history, images."""

import io

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TransactionTestCase, override_settings

from live.models import LiveCoverage, LiveUpdate
from tests.factories import jpeg_upload, make_author, make_live, post_update
from tests.test_backup import media, snapshot, temporary_folder


class LiveRoundTripTests(TransactionTestCase):
    def test_live_coverage_comes_back_field_by_field(self):
        writer = get_user_model().objects.create_user("envoye-special")
        coverage = make_live()
        post_update(coverage, title="Clé", is_key=True, author=make_author(), created_by=writer)
        pictured = post_update(coverage, image=jpeg_upload(), image_alt="Un pont")
        gone = post_update(coverage)
        gone._history_user = writer
        gone.withdraw()
        pictured.make_article()
        coverage.close()
        coverage.save()
        before, files = snapshot(), media()
        self.assertEqual(len(before["live.LiveUpdate"]), 3)
        self.assertEqual(len(before["live.HistoricalLiveUpdate"]), 4)
        self.assertIn(pictured.image.name, files)

        folder = temporary_folder(self)
        path = folder / "backup.zip"
        call_command("export_archive", path, stdout=io.StringIO())
        call_command("flush", interactive=False, verbosity=0)
        with override_settings(MEDIA_ROOT=folder / "restored"):
            call_command("import_archive", path, stdout=io.StringIO())
            self.assertEqual(snapshot(), before)
            self.assertEqual(media(), files)
        self.assertFalse(LiveCoverage.objects.get().is_live)
        # Sequences were moved past the restored keys.
        restored = max(LiveUpdate.objects.values_list("pk", flat=True))
        coverage = LiveCoverage.objects.get()
        coverage.reopen()
        coverage.save()
        self.assertGreater(post_update(coverage).pk, restored)
