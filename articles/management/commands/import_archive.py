from django.core.management.base import BaseCommand, CommandError

from articles.management import backup


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive into an empty database (migrated first), "
        "with its images, then rebuild the search index."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive file to restore.")

    def handle(self, *args, path, **options):
        try:
            manifest = backup.import_archive(path)
        except backup.ArchiveError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(backup.summary("Restored", path, manifest))
