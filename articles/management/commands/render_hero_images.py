from datetime import timedelta

from django.core.management.base import BaseCommand

from articles import media, shells
from articles.images import MAX_SIDE, SHARE_WIDTH, clean_and_render
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Render again the hero images stored before today's rules: an original larger than "
        "2,560 px, or no 1,200 px rendition for link previews. Old files no revision refers to "
        "are deleted."
    )

    def handle(self, **options):
        rendered, replaced = [], []
        for article in Article.objects.exclude(hero_image="").iterator():
            if self.is_current(article):
                continue
            with article.hero_image.open() as file:
                content, width, height, renditions = clean_and_render(file)
            replaced += media.names_of(article.hero_image.name, article.hero_renditions)
            field = article.hero_image.field
            name = field.storage.save(field.generate_filename(article, content.name), content)
            # update(), not save(): a new rendering is not an edit of the article.
            Article.objects.filter(pk=article.pk).update(
                hero_image=name,
                hero_width=width,
                hero_height=height,
                hero_renditions=renditions,
            )
            rendered.append(article.pk)
        if rendered:
            # The pages built before, stored or kept by the page cache and by each worker
            # (articles.listings.TagCandidates), name the old files.
            shells.bump(rendered)
        deleted = media.delete_unreferenced(names=replaced, grace=timedelta(0))
        self.stdout.write(
            f"{len(rendered)} hero image(s) rendered, {len(deleted)} old file(s) deleted."
        )

    @staticmethod
    def is_current(article):
        width, height = article.hero_width or 0, article.hero_height or 0
        widths = {rendition["width"] for rendition in article.hero_renditions}
        return max(width, height) <= MAX_SIDE and min(width, SHARE_WIDTH) in widths
