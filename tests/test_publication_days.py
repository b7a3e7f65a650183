"""The day index: archive navigation and counts kept at write time, right at any depth."""

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from articles import dayindex
from articles.models import Article, PublicationMonth
from tests.factories import make_archive, make_article, page_query

OCTOBER = datetime(2024, 10, 27, 12, 0, tzinfo=UTC)


def years():
    return [day.year for day in dayindex.periods("year")]


def month_totals():
    return {month.month: month.published for month in PublicationMonth.objects.all()}


class PublicationDayTests(TestCase):
    def test_only_published_articles_make_a_year_or_a_day(self):
        make_article(published_at=OCTOBER)
        make_article(published_at=OCTOBER.replace(year=2021), status=Article.Status.DRAFT)
        self.assertEqual(years(), [2024])
        response = self.client.get(reverse("articles:archive-month", args=[2024, 10]))
        self.assertEqual([day.day for day in response.context["date_list"]], [27])

    def test_years_without_articles_are_skipped(self):
        for year in (2019, 2021, 2024):
            make_article(published_at=OCTOBER.replace(year=year))
        self.assertEqual(years(), [2019, 2021, 2024])
        response = self.client.get(reverse("articles:home"))
        self.assertEqual([day.year for day in response.context["date_list"]], [2024, 2021, 2019])

    def test_publishing_unpublishing_and_deleting_follow_the_day(self):
        article = make_article(published_at=OCTOBER, status=Article.Status.DRAFT)
        article.status = Article.Status.PUBLISHED
        article.save()
        self.assertEqual(dayindex.count(), 1)
        article.unpublish()
        article.save()
        self.assertEqual((years(), dayindex.count()), ([], 0))
        article.status = Article.Status.PUBLISHED
        article.save()
        article.delete()
        self.assertEqual((years(), dayindex.count()), ([], 0))

    def test_a_new_publication_time_moves_the_article_to_its_new_day(self):
        article = make_article(published_at=OCTOBER)
        article.published_at = OCTOBER.replace(year=2022)
        article.save()
        self.assertEqual(years(), [2022])
        day_url = reverse("articles:archive-day", args=[2024, 10, 27])
        self.assertEqual(self.client.get(day_url).status_code, 404)

    def test_a_scheduled_article_shows_once_its_time_comes_without_any_save(self):
        make_article(published_at=OCTOBER)
        later = timezone.now() + timedelta(hours=1)
        make_article(published_at=later)
        self.assertEqual((years(), dayindex.count()), ([2024], 1))
        with time_machine.travel(later + timedelta(minutes=1)):
            self.assertEqual(years(), sorted({2024, timezone.localdate(later).year}))
            self.assertEqual(dayindex.count(), 2)

    def test_a_period_links_to_today_only_once_one_of_its_articles_appears(self):
        make_article(published_at=OCTOBER)
        later = timezone.now() + timedelta(hours=1)
        make_article(published_at=later)
        october = (date(2024, 10, 1), date(2024, 11, 1))
        self.assertEqual(dayindex.neighbours(*october), (None, None))
        with time_machine.travel(later + timedelta(minutes=1)):
            self.assertEqual(dayindex.neighbours(*october), (None, timezone.localdate(later)))
            # And from today's own month, October is the one before.
            this_month = timezone.localdate().replace(day=1)
            self.assertEqual(dayindex.neighbours(this_month, None)[0], OCTOBER.date())

    def test_month_totals_follow_every_move_unpublication_and_deletion(self):
        moved = make_article(published_at=OCTOBER)
        unpublished = make_article(published_at=OCTOBER.replace(month=11))
        make_article(published_at=OCTOBER.replace(day=3))
        self.assertEqual(month_totals(), {date(2024, 10, 1): 2, date(2024, 11, 1): 1})
        moved.published_at = OCTOBER.replace(month=12)
        moved.save()
        self.assertEqual(
            month_totals(), {date(2024, 10, 1): 1, date(2024, 11, 1): 1, date(2024, 12, 1): 1}
        )
        unpublished.unpublish()
        unpublished.save()
        moved.delete()
        self.assertEqual(month_totals(), {date(2024, 10, 1): 1})

    def test_rebuild_gives_the_counts_kept_at_write_time(self):
        make_archive(5)
        make_article(published_at=OCTOBER, status=Article.Status.DRAFT)
        kept = (dayindex.periods("day"), dayindex.count(), month_totals())
        dayindex.rebuild()
        self.assertEqual((dayindex.periods("day"), dayindex.count(), month_totals()), kept)


class DeepHomePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.articles = make_archive(30)  # newest first
        make_article(status=Article.Status.DRAFT)
        make_article(published_at=timezone.now() + timedelta(hours=1))

    def test_every_page_lists_its_articles_newest_first_from_either_end(self):
        for number in (1, 2, 3):  # the last one read from the oldest end of the index
            with self.subTest(page=number):
                response = self.client.get(reverse("articles:home"), page_query(number))
                expected = self.articles[(number - 1) * 12 : number * 12]
                self.assertEqual(list(response.context["articles"]), expected)
                self.assertContains(response, f"Page {number} sur 3")

    def test_pages_past_the_last_are_not_found(self):
        response = self.client.get(reverse("articles:home"), {"page": 4})
        self.assertEqual(response.status_code, 404)

    def test_pages_start_at_the_right_article_with_todays_scheduled_ones_left_out(self):
        noon = datetime(2024, 10, 27, 11, 0, tzinfo=UTC)  # 12:00 in Paris
        with time_machine.travel(noon, tick=False):
            Article.objects.all().delete()
            today = make_archive(14, start=noon - timedelta(minutes=1))
            # make_archive spaces them an hour apart: the last ones fall on the day before.
            make_article(published_at=noon + timedelta(hours=2))
            yesterday = make_archive(10, start=noon - timedelta(days=1, hours=12))
            shown = sorted(today + yesterday, key=lambda a: a.published_at, reverse=True)
            for number in (1, 2):  # page 2 starts inside today, after its scheduled article
                with self.subTest(page=number):
                    response = self.client.get(reverse("articles:home"), page_query(number))
                    expected = shown[(number - 1) * 12 : number * 12]
                    self.assertEqual(list(response.context["articles"]), expected)
                    self.assertContains(response, f"Page {number} sur 2")
            self.assertEqual(
                self.client.get(reverse("articles:home"), {"page": 3}).status_code, 404
            )


class PagesAcrossMonthsTests(TestCase):
    """Pages are found among the months first, then among one month's days."""

    NOW = datetime(2025, 1, 10, 11, 0, tzinfo=UTC)  # noon in Paris

    @classmethod
    def setUpTestData(cls):
        # One article every three days back to September 2024: pages end inside months.
        cls.articles = [
            make_article(published_at=cls.NOW - timedelta(days=3 * i, minutes=1)) for i in range(40)
        ]

    def test_every_page_of_the_home_page_and_of_a_year_lists_its_articles(self):
        with time_machine.travel(self.NOW, tick=False):
            make_article(published_at=self.NOW + timedelta(hours=2))  # scheduled for today
            listings = (
                (reverse("articles:home"), self.articles),
                (
                    reverse("articles:archive-year", args=[2024]),
                    [article for article in self.articles if article.published_at.year == 2024],
                ),
            )
            for url, shown in listings:
                pages = -(-len(shown) // 12)
                for number in range(1, pages + 1):
                    with self.subTest(url=url, page=number):
                        response = self.client.get(url, page_query(number))
                        expected = shown[(number - 1) * 12 : number * 12]
                        self.assertEqual(list(response.context["articles"]), expected)
                        self.assertContains(response, f"Page {number} sur {pages}")
                self.assertEqual(self.client.get(url, {"page": pages + 1}).status_code, 404)
