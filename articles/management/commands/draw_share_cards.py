from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = (
        "Draw the missing or outdated share cards, e.g. of articles loaded from a fixture, "
        "which are stored without going through Article.save()."
    )

    def handle(self, **options):
        drawn = 0
        for article in Article.objects.filter(hero_image="").iterator():
            before = article.share_card.name
            article.draw_share_card()
            if article.share_card.name != before:
                # update(), not save(): drawing a card is not an edit of the article.
                Article.objects.filter(pk=article.pk).update(share_card=article.share_card.name)
                drawn += 1
        self.stdout.write(f"{drawn} share card(s) drawn.")
