"""Dates as the house writes them in French: "1er décembre 2024", "Archives d’octobre 2024"."""

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

# French elides "de" before a vowel: avril, août, octobre.
VOWELS = "aâeéèiîoôuûy"


def house_date(value, format):
    """``value`` (local) in ``format``, with the first of the month written as an ordinal."""
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
