"""Text helpers both engines share: plain text out of article HTML, and highlighted snippets."""

import html
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Matched words arrive between these two private-use characters, which no article contains.
OPEN, CLOSE = "\ue000", "\ue001"

TAG = re.compile(r"<[^>]*>")
MARKED = re.compile(f"{OPEN}([^{OPEN}{CLOSE}]*){CLOSE}")


def plain_text(body):
    """The words of sanitised article HTML, each tag a space so that list items stay apart."""
    return " ".join(html.unescape(TAG.sub(" ", body)).split())


def marked_html(text):
    """HTML for ``text`` whose matched words are marked with OPEN…CLOSE: escaped, with <mark>s."""
    marked = MARKED.sub(r"<mark>\1</mark>", escape(text))
    # Safe: the text was escaped first; the only markup added is <mark>, and stray markers go.
    return mark_safe(marked.replace(OPEN, "").replace(CLOSE, ""))
