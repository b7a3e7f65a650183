from datetime import timedelta

from django.core.management.base import BaseCommand

from articles import media


class Command(BaseCommand):
    help = (
        "Delete the stored images that no article, revision, story or other row refers to "
        "(a replaced image stays while a revision can bring it back), from the media folder "
        "or the object storage bucket."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List, delete nothing.")
        parser.add_argument(
            "--grace-minutes",
            type=int,
            default=int(media.GRACE.total_seconds() // 60),
            help="Keep files younger than this: a save may still be storing them.",
        )

    def handle(self, *args, dry_run, grace_minutes, **options):
        grace = timedelta(minutes=grace_minutes)
        if dry_run:
            names = list(media.unreferenced(grace=grace))
        else:
            names = media.delete_unreferenced(grace=grace)
        for name in names:
            self.stdout.write(name)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{len(names)} unreferenced file(s) {verb}.")
