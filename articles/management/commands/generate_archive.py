"""Fill the database with a large, clearly synthetic archive, for benchmarks."""

import random

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from taggit.models import Tag, TaggedItem

from articles import dayindex, listings, search
from articles.management.database import reset_sequences
from articles.management.progress import ProgressBar
from articles.management.synthetic import ArchiveWriter, pseudo_names, zipf_weights
from articles.models import Article, Author, Section

# Everything made here is marked: slugs start with this, and every article's dateline says so.
PREFIX = "synthetique"
DATELINE = "Archive synthétique"
TAG_COUNT = 300
AUTHOR_COUNT = 40
SECTION_COUNT = 8
BATCH_SIZE = 2000
# Generated rows take primary keys from here up, far from the demo fixtures' small ones.
FIRST_PK = 1000


class Command(BaseCommand):
    help = "Add N synthetic articles (French-like word salad) with tags, authors and dates."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, articles, seed, verbosity, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        writer = ArchiveWriter(seed)
        bar = ProgressBar(self.stderr if verbosity else None, "Generating")
        with transaction.atomic():
            tags = self.ensure(Tag, "tag", pseudo_names(TAG_COUNT, seed=1))
            authors = self.ensure(Author, "auteur", pseudo_names(AUTHOR_COUNT, seed=2))
            sections = self.ensure(Section, "rubrique", pseudo_names(SECTION_COUNT, seed=4))
            # Sections are drawn apart, so that the rest of the archive is what the same seed
            # gave before sections existed; a few sections get most articles, as in a paper.
            section_random = random.Random(seed)
            section_weights = zipf_weights(len(sections), exponent=0.8)
            tag_weights = zipf_weights(len(tags))
            content_type = ContentType.objects.get_for_model(Article)
            first = next_pk(Article)
            for start in range(first, first + articles, BATCH_SIZE):
                batch = [
                    self.article(pk, writer)
                    for pk in range(start, min(start + BATCH_SIZE, first + articles))
                ]
                for article, section in zip(
                    batch,
                    section_random.choices(sections, cum_weights=section_weights, k=len(batch)),
                    strict=True,
                ):
                    article.section = section
                Article.objects.bulk_create(batch)
                Article.authors.through.objects.bulk_create(
                    Article.authors.through(article_id=article.pk, author_id=author.pk)
                    for article in batch
                    for author in writer.random.sample(authors, writer.random.choice((1, 1, 2)))
                )
                TaggedItem.objects.bulk_create(
                    TaggedItem(tag_id=tag.pk, content_type=content_type, object_id=article.pk)
                    for article in batch
                    for tag in writer.pick_zipf(tags, tag_weights, writer.random.randint(1, 4))
                )
                # bulk_create skips save() and its signals: index here.
                search.index(batch)
                bar.update(batch[-1].pk - first + 1, articles)
            reset_sequences(Article, Author, Section, Tag, TaggedItem, Article.authors.through)
            bar.stage("rebuilding the tag and author listings")
            listings.rebuild()
            bar.stage("rebuilding the day index")
            dayindex.rebuild()
            bar.stage("committing")
        bar.stage("optimizing the search index")
        search.engine().optimize()
        bar.stage("done")
        bar.finish()

    def ensure(self, model, kind, names):
        """The synthetic tags or authors, created on the first run and reused afterwards."""
        wanted = {f"{PREFIX}-{kind}-{i}": name for i, name in enumerate(names)}
        existing = {obj.slug for obj in model.objects.filter(slug__in=wanted)}
        pk = next_pk(model)
        model.objects.bulk_create(
            model(pk=pk + i, slug=slug, name=name)
            for i, (slug, name) in enumerate(
                (slug, name) for slug, name in wanted.items() if slug not in existing
            )
        )
        return list(model.objects.filter(slug__in=wanted).order_by("pk"))

    def article(self, pk, writer):
        title, standfirst, body = writer.article_text()
        draft = writer.random.random() < 0.02
        return Article(
            pk=pk,
            slug=f"{PREFIX}-{pk}",
            title=title,
            dateline=DATELINE,
            standfirst=standfirst,
            body=body,
            status=Article.Status.DRAFT if draft else Article.Status.PUBLISHED,
            published_at=writer.published_at(),
        )


def next_pk(model):
    return max(model.objects.aggregate(top=Max("pk"))["top"] or 0, FIRST_PK - 1) + 1
