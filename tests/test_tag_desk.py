"""Editors rename and merge tags; old tag pages and feeds redirect (301) to the tag kept."""

from django.test import TestCase
from django.urls import reverse
from taggit.models import Tag

from articles.listings.models import TagCount, TagListing
from articles.models import FormerTagSlug
from articles.tags import merge
from tests.factories import make_article, make_user

CHANGELIST = reverse("admin:taggit_tag_changelist")


def tag_url(slug, route="articles:tag"):
    return reverse(route, kwargs={"slug": slug})


class RenameTests(TestCase):
    def setUp(self):
        self.article = make_article(tags=["Coree du Nord"])
        self.tag = Tag.objects.get(name="Coree du Nord")

    def rename(self, name, slug):
        self.client.force_login(make_user("Éditeurs"))
        url = reverse("admin:taggit_tag_change", args=[self.tag.pk])
        return self.client.post(url, {"name": name, "slug": slug})

    def test_an_editor_renames_a_tag_and_its_old_urls_redirect_for_good(self):
        self.assertRedirects(self.rename("Corée du Nord", "coree-du-nord-2"), CHANGELIST)
        for route in ("articles:tag", "articles:tag-feed-rss", "articles:tag-feed-atom"):
            with self.subTest(route=route):
                response = self.client.get(tag_url("coree-du-nord", route))
                self.assertEqual(response.status_code, 301)
                self.assertEqual(response["Location"], tag_url("coree-du-nord-2", route))
        self.client.logout()
        page = self.client.get(tag_url("coree-du-nord-2"))
        self.assertContains(page, "Corée du Nord")
        self.assertContains(page, self.article.title)

    def test_the_page_number_follows_the_redirect(self):
        self.rename("Corée du Nord", "coree")
        response = self.client.get(tag_url("coree-du-nord"), {"page": "2"})
        self.assertEqual(response["Location"], tag_url("coree") + "?page=2")

    def test_renaming_back_gives_the_slug_back_to_its_tag(self):
        self.rename("Corée", "coree")
        self.rename("Coree du Nord", "coree-du-nord")
        self.assertEqual(self.client.get(tag_url("coree-du-nord")).status_code, 200)
        self.assertEqual(self.client.get(tag_url("coree"))["Location"], tag_url("coree-du-nord"))

    def test_an_unknown_slug_is_still_a_404(self):
        self.assertEqual(self.client.get(tag_url("nulle-part")).status_code, 404)

    def test_writers_do_not_manage_tags(self):
        self.client.force_login(make_user("Rédacteurs"))
        self.assertEqual(self.client.get(CHANGELIST).status_code, 403)


class MergeTests(TestCase):
    def setUp(self):
        self.both = make_article(tags=["Ukraine", "Ukraine (guerre)"])
        self.old_only = make_article(tags=["Ukraine (guerre)"])
        self.kept_only = make_article(tags=["Ukraine"])
        self.kept = Tag.objects.get(name="Ukraine")
        self.gone = Tag.objects.get(name="Ukraine (guerre)")

    def test_merging_moves_every_article_and_counts_them_once(self):
        merge([self.kept, self.gone], self.kept)
        self.assertFalse(Tag.objects.filter(pk=self.gone.pk).exists())
        for article in (self.both, self.old_only, self.kept_only):
            self.assertEqual([tag.name for tag in article.tags.all()], ["Ukraine"])
        self.assertEqual(TagCount.objects.get(tag=self.kept).published, 3)
        self.assertEqual(TagListing.objects.filter(tag=self.kept).count(), 3)
        page = self.client.get(tag_url("ukraine"))
        self.assertContains(page, self.old_only.title)

    def test_the_merged_tags_urls_redirect_to_the_kept_one(self):
        merge([self.kept, self.gone], self.kept)
        response = self.client.get(tag_url(self.gone.slug, "articles:tag-feed-rss"))
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], tag_url("ukraine", "articles:tag-feed-rss"))
        feed = self.client.get(response["Location"])
        self.assertContains(feed, self.old_only.title)

    def test_an_editor_merges_from_the_tag_list(self):
        self.client.force_login(make_user("Éditeurs"))
        selected = {"action": "merge_tags", "_selected_action": [self.kept.pk, self.gone.pk]}
        form = self.client.post(CHANGELIST, selected)
        self.assertContains(form, "Garder ce mot-clé")
        response = self.client.post(CHANGELIST, {**selected, "into": self.kept.pk})
        self.assertRedirects(response, CHANGELIST)
        self.assertEqual(FormerTagSlug.objects.get(slug=self.gone.slug).tag, self.kept)

    def test_a_merge_costs_the_same_queries_for_few_or_many_articles(self):
        # 24 with the search index told the moved articles' new tag name (4 per 1,000 articles),
        # then 4 for the position anchors: the kept tag's locked and numbered again (3), the
        # merged tag's read to be deleted with it (1); 2 for the articles whose stored pages
        # name a merged tag, found and bumped.
        with self.assertNumQueries(30) as first:
            merge([self.kept, self.gone], self.kept)
        for n in range(8):
            make_article(tags=["Russie", "Russie (guerre)"] if n % 2 else ["Russie (guerre)"])
        tags = list(Tag.objects.filter(name__startswith="Russie").order_by("name"))
        with self.assertNumQueries(len(first.captured_queries)):
            merge(tags, tags[0])


class TagSearchTests(TestCase):
    def test_tag_search_ignores_accents_and_case(self):
        make_article(tags=["Corée du Nord", "Russie"])
        self.client.force_login(make_user("Éditeurs"))
        for term in ("coree", "CORÉE nord", "du nord"):
            with self.subTest(term=term):
                response = self.client.get(CHANGELIST, {"q": term})
                names = [tag.name for tag in response.context["cl"].result_list]
                self.assertEqual(names, ["Corée du Nord"])
