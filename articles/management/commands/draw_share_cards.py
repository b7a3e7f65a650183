from django.core.management.base import BaseCommand
from django.db.models import Q

from articles import shells
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Draw the missing or outdated share cards, e.g. of articles loaded from a fixture, "
        "which are stored without going through Article.save()."
    )

    def handle(self, **options):
        drawn = []
        # A sensitive hero image is never a link preview: those articles need a card too.
        needing_cards = Article.objects.filter(Q(hero_image="") | Q(hero_sensitive=True))
        for article in needing_cards.iterator():
            before = article.share_card.name
            article.draw_share_card()
            if article.share_card.name != before:
                # update(), not save(): drawing a card is not an edit of the article.
                Article.objects.filter(pk=article.pk).update(share_card=article.share_card.name)
                drawn.append(article.pk)
        if drawn:
            shells.bump(drawn)  # the pages built before name the old cards
        self.stdout.write(f"{len(drawn)} share card(s) drawn.")
