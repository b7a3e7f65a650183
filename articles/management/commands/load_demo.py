from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.core.management.base import BaseCommand
from taggit.models import Tag

from articles.models import Article, Author, Section


class Command(BaseCommand):
    help = (
        "Load the demo articles (fixtures/demo.json) into a database that holds no articles, "
        "authors, tags, sections or site pages yet; leave any other database as it is."
    )

    def handle(self, **options):
        # loaddata overwrites rows by primary key: once editors have worked, the fixture would
        # bring back what they unpublished, deleted or renamed, without a revision saying so.
        if any(model.objects.exists() for model in (Article, Author, Tag, Section, FlatPage)):
            self.stdout.write("The database already holds articles: demo data not loaded.")
            return
        call_command("loaddata", "demo", verbosity=0)
        self.record_first_revisions()
        self.stdout.write(f"Demo data loaded: {Article.objects.count()} articles.")

    def record_first_revisions(self):
        """Give each loaded article the revision a save would have left.

        django-simple-history records nothing for loaddata's raw saves: without it, an
        article's first edit became its first published version in the public history. The
        revision is dated as the article was last saved, so that it is the version readers saw.
        """
        articles = list(Article.objects.all())
        for article in articles:
            article._history_date = article.updated_at
        Article.history.bulk_history_create(articles)
