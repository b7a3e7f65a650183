"""The 1200×630 share card drawn for articles without a hero image.

Messengers and networks show it in link previews: the site's name, the headline and the date.
The font ships as a Python package (Open Sans, with every accented letter French needs), so
the card looks the same on every machine.
"""

from hashlib import sha256
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext, override
from PIL import Image, ImageDraw
from ttf_opensans import OPENSANS_BOLD, OPENSANS_REGULAR

WIDTH, HEIGHT = 1200, 630
MARGIN = 80
BACKGROUND = "#1a1a1a"
ACCENT = "#c8102e"
INK = "#ffffff"
MUTED = "#bdbdbd"
# The headline's box: between the site name at the top and the date at the bottom.
HEADLINE_TOP, HEADLINE_BOTTOM = 170, 520
HEADLINE_SIZES = range(72, 35, -4)


def wrap(text, font, width):
    """Greedy word wrap of ``text`` into lines no wider than ``width`` pixels."""
    lines = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def fit_headline(headline, width, height):
    """The largest font whose wrapped headline fits the box, and its lines.

    At the smallest size an overlong headline is cut, with an ellipsis, to the lines that fit.
    """
    for size in HEADLINE_SIZES:
        font = OPENSANS_BOLD.imagefont(size)
        lines = wrap(headline, font, width)
        line_height = round(size * 1.2)
        if len(lines) * line_height <= height and all(
            font.getlength(line) <= width for line in lines
        ):
            return font, lines, line_height
    most = height // line_height
    if len(lines) > most:
        lines = lines[:most]
        while lines[-1] and font.getlength(lines[-1] + " …") > width:
            lines[-1] = lines[-1].rsplit(" ", 1)[0] if " " in lines[-1] else lines[-1][:-1]
        lines[-1] += " …"
    return font, lines, line_height


def draw_share_card(site_name, headline, date_text):
    """The card as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 12), fill=ACCENT)
    draw.text((MARGIN, 60), site_name, font=OPENSANS_BOLD.imagefont(44), fill=INK)
    font, lines, line_height = fit_headline(
        headline, WIDTH - 2 * MARGIN, HEADLINE_BOTTOM - HEADLINE_TOP
    )
    for number, line in enumerate(lines):
        draw.text((MARGIN, HEADLINE_TOP + number * line_height), line, font=font, fill=INK)
    draw.text((MARGIN, 545), date_text, font=OPENSANS_REGULAR.imagefont(32), fill=MUTED)
    output = BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def stored_card(storage, *text):
    """The stored name of the card showing ``text``, drawn only if no card shows it yet."""
    name = card_name(*text)
    if not storage.exists(name):
        name = storage.save(name, ContentFile(draw_share_card(*text)))
    return name


def card_name(*text):
    """The name a card showing ``text`` is stored under: a digest of its text, so that an
    unchanged text reuses the file."""
    digest = sha256("\n".join(text).encode()).hexdigest()[:32]
    return f"share-cards/{digest}.png"


def site_card_text():
    """What the site's own card shows, in the active language: its name, line and host."""
    host = settings.SITE_URL.split("://", 1)[-1]
    return settings.SITE_NAME, gettext("Wars and crises, reported"), host


def site_card_names():
    """The site's card in each of its languages: pages link it, yet no row names it."""
    names = []
    for language, _ in settings.LANGUAGES:
        with override(language):
            names.append(card_name(*site_card_text()))
    return names
