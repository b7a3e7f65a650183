"""The suite never writes into the project's media folder, not even before a test starts."""

from pathlib import Path

from django.conf import settings
from django.test import TestCase

from tests.factories import make_article

PROJECT_MEDIA = settings.BASE_DIR / "media"


class MediaIsolationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        # Runs before any function-scoped fixture: the share card is drawn here.
        cls.media_root = Path(settings.MEDIA_ROOT)
        cls.article = make_article(title="Carte dessinée avant le test")

    def test_files_made_in_set_up_test_data_stay_out_of_the_project_media(self):
        self.assertFalse(self.media_root.is_relative_to(PROJECT_MEDIA), self.media_root)
        card = self.media_root / self.article.share_card.name
        self.assertTrue(card.exists())
        self.assertFalse((PROJECT_MEDIA / self.article.share_card.name).exists())
