from django.core.management.base import BaseCommand, CommandError

from articles.management import backup


class Command(BaseCommand):
    help = (
        "Write every article, author, tag, correction, revision and image, and what other apps "
        "add (stories, places), to one archive file (a zip), which import_archive restores."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive file to write (replaced if it exists).")

    def handle(self, *args, path, **options):
        try:
            manifest = backup.export_archive(path)
        except OSError as error:
            raise CommandError(f"Could not write {path}: {error}") from None
        for name in manifest["missing_media"]:
            self.stderr.write(self.style.WARNING(f"Missing from the media folder: {name}"))
        self.stdout.write(backup.summary("Wrote", path, manifest))
