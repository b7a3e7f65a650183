"""Dates as the house writes them in French: "1er décembre 2024", "Archives d’octobre 2024"."""

from datetime import datetime
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, pgettext

# French elides "de" before a vowel: avril, août, octobre.
VOWELS = "aâeéèiîoôuûy"


def house_date(value, format):
    """``value`` (local) in ``format``, with the first of the month written as an ordinal."""
    if isinstance(value, datetime) and format.endswith("H:i"):
        # Every teaser's "27 octobre 2024 · 19:37": the day's words are written once per day
        # and language, the minute directly; a format string parsed for each of a page's 45
        # teasers cost more than the rest of their date.
        return day_words(value.date(), format[:-3], get_language()) + f"{value:%H:%M}"
    return day_format(value, format)


@lru_cache(maxsize=4096)
def day_words(day, format, language):
    return day_format(day, format) if format else ""  # date_format() reads "" as its default


def day_format(value, format):
    if value.day == 1:
        # "\e\r" are literal letters in a date format: "1er décembre", never "1 décembre".
        format = format.replace("j", r"j\e\r", 1)
    return date_format(value, format)


def month_archive_title(month):
    """The heading of a month's archive, with French's elision before a vowel."""
    name = date_format(month, "F Y")
    if name[:1].lower() in VOWELS:
        return pgettext("before a vowel", "Archives %(month)s") % {"month": name}
    return gettext("Archives %(month)s") % {"month": name}
