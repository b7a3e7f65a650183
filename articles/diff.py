"""Word-by-word differences between two versions of an article's text, for readers and editors.

The text is compared, not the markup: both sides are reduced to words, spaces and tags, the
words are matched, and the result keeps the newer version's markup with the older words that
went shown in ``<del>`` and the new ones in ``<ins>``. Screen readers do not announce those two
elements, so each carries a visually hidden "supprimé :" or "ajouté :" before its words.

The output is sanitised like an article body (``articles.html``), with ``ins``, ``del`` and
that one hidden label allowed on top: whatever the two inputs hold, it is safe to render.
"""

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from difflib import SequenceMatcher
from html import escape
from html.parser import HTMLParser
from typing import NamedTuple

import nh3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from articles.html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, ALLOWED_URL_SCHEMES, sanitize

# Words (letters with their accents and digits) or single punctuation marks, each with the
# space after it; or a run of space that follows no word (after a tag).
WORD = re.compile(r"(\w+|[^\w\s])(\s*)|\s+")
HIDDEN_LABEL = "visually-hidden"
# Above this product of lengths, a stretch without anchors is not compared word by word.
MAX_STRETCH = 1_000_000
BLOCK_EDGE = re.compile(r"</?(p|h2|h3|ul|ol|li|blockquote|br)\b")


class Token(NamedTuple):
    key: str  # what is compared: a word, one space, or a tag as written
    html: str  # what is written out
    is_text: bool


class Tokenizer(HTMLParser):
    """Split sanitised HTML into tags and the words, marks and spaces of its text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens = []

    def handle_starttag(self, tag, attrs):
        written = "".join(f' {name}="{escape(value or "")}"' for name, value in attrs)
        self.tag(f"<{tag}{written}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.tag(f"</{tag}>")

    def handle_data(self, data):
        # One form per accented letter: "é" typed as e + accent is the same word as "é".
        for word, space in WORD.findall(unicodedata.normalize("NFC", data)):
            if word:
                # A word carries the space after it: space is never compared, only written.
                self.tokens.append(Token(word, escape(word, False) + (" " if space else ""), True))
            else:
                self.tokens.append(Token(" ", " ", True))

    def tag(self, markup):
        self.tokens.append(Token(markup, markup, False))


def tokens(html):
    parser = Tokenizer()
    parser.feed(sanitize(html))
    parser.close()
    return parser.tokens


def marked(element, label, run):
    """A run of tokens with its words inside ``element``; tags and edge spaces stay outside."""
    out, words = [], []

    def flush():
        text = "".join(token.html for token in words)
        stripped = text.strip()
        if stripped:
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            out.append(
                f'{lead}<{element}><span class="{HIDDEN_LABEL}">{escape(label)} </span>'
                f"{stripped}</{element}>{trail}"
            )
        else:
            out.append(text)
        words.clear()

    for token in run:
        if token.is_text:
            words.append(token)
        else:
            flush()
            out.append(token.html)
    flush()
    return "".join(out)


def deleted_words(run):
    """The words of a deleted run, without its tags: those belong to the old layout.

    A block's edge becomes a space, so that two deleted paragraphs do not run into one word;
    a run of nothing but space is not shown at all.
    """
    words = [
        token if token.is_text else Token(" ", " ", True)
        for token in run
        if token.is_text or BLOCK_EDGE.match(token.key)
    ]
    return words if any(not token.key.isspace() for token in words) else []


def diff_html(old, new):
    """The newer HTML, words removed since ``old`` in ``<del>`` and those added in ``<ins>``.

    The result is sanitised, safe to render as it is.
    """
    removed, added = gettext("deleted:"), gettext("added:")
    out = []
    for op, gone, came in joined(slid(segments(tokens(old), tokens(new)))):
        if op == "equal":
            out.extend(token.html for token in came)
            continue
        if gone:
            words = deleted_words(gone)
            if words and out and out[-1][-1:].isalnum() and words[0].key[:1].isalnum():
                # "Kharkiv hier." became "Kharkiv.": the space went with the word, keep one.
                out.append(" ")
            out.append(marked("del", removed, words))
        if came:
            out.append(marked("ins", added, came))
    return _clean("".join(out).strip())


def segments(before, after):
    """``[op, old tokens, new tokens]`` runs, from the blocks the two lists of keys share."""
    a, b = [t.key for t in before], [t.key for t in after]
    blocks = []
    match(a, b, 0, len(a), 0, len(b), blocks)
    runs, i, j = [], 0, 0
    for ai, bj, size in [*sorted(blocks), (len(a), len(b), 0)]:
        if i < ai or j < bj:
            op = "replace" if i < ai and j < bj else "delete" if i < ai else "insert"
            runs.append([op, before[i:ai], after[j:bj]])
        if size:
            if runs and runs[-1][0] == "equal":
                runs[-1][1] += before[ai : ai + size]
                runs[-1][2] += after[bj : bj + size]
            else:
                runs.append(["equal", before[ai : ai + size], after[bj : bj + size]])
        i, j = ai + size, bj + size
    return runs


def match(a, b, alo, ahi, blo, bhi, blocks):
    """Add to ``blocks`` the ``(i, j, size)`` runs that a[alo:ahi] and b[blo:bhi] share.

    Patience matching, as in git's diff: words found once on each side, in the same order,
    anchor the match, and only the stretches between anchors are compared word by word.
    difflib alone compares every frequent word ("de", "la") with all its peers: seconds on a
    long article with a hundred small edits, against milliseconds so.
    """
    while alo < ahi and blo < bhi and a[alo] == b[blo]:
        blocks.append((alo, blo, 1))
        alo, blo = alo + 1, blo + 1
    while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
        ahi, bhi = ahi - 1, bhi - 1
        blocks.append((ahi, bhi, 1))
    if alo == ahi or blo == bhi:
        return
    anchors = unique_anchors(a, b, alo, ahi, blo, bhi)
    if not anchors:
        if (ahi - alo) * (bhi - blo) > MAX_STRETCH:
            # Thousands of words with no word of their own on either side: shown as rewritten
            # rather than matched word by word, which would take seconds.
            return
        # autojunk off: in a stretch of text, frequent words are what holds it together.
        matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
        blocks.extend((alo + i, blo + j, n) for i, j, n in matcher.get_matching_blocks() if n)
        return
    for i, j in anchors:
        match(a, b, alo, i, blo, j, blocks)
        blocks.append((i, j, 1))
        alo, blo = i + 1, j + 1
    match(a, b, alo, ahi, blo, bhi, blocks)


def unique_anchors(a, b, alo, ahi, blo, bhi):
    """The longest run of ``(i, j)`` pairs, in order on both sides, of keys unique to each side."""
    in_a, in_b = Counter(a[alo:ahi]), Counter(b[blo:bhi])
    where_b = {b[j]: j for j in range(blo, bhi) if in_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(alo, ahi) if in_a[a[i]] == 1 and a[i] in where_b]
    # Longest increasing subsequence of the j's (patience sorting), with links back.
    tails, tail_index, previous = [], [], [None] * len(pairs)
    for n, (_, j) in enumerate(pairs):
        k = bisect_left(tails, j)
        previous[n] = tail_index[k - 1] if k else None
        if k == len(tails):
            tails.append(j)
            tail_index.append(n)
        else:
            tails[k], tail_index[k] = j, n
    chain, n = [], tail_index[-1] if tail_index else None
    while n is not None:
        chain.append(pairs[n])
        n = previous[n]
    return chain[::-1]


def slid(runs):
    """Each lone insertion or deletion moved to where it reads best among equal places.

    difflib may delete ".</p><p>Deux trois" where "<p>Deux trois.</p>" went: both are right,
    only the second reads as a whole paragraph. A run slides over the equal text around it
    while the tokens it leaves and takes are the same, and settles at its best edges.
    """
    for k in range(1, len(runs) - 1):
        before, run, after = runs[k - 1], runs[k], runs[k + 1]
        if run[0] not in ("insert", "delete") or before[0] != "equal" or after[0] != "equal":
            continue
        changed = run[1] or run[2]
        text, n = [*before[2], *changed, *after[2]], len(changed)
        first = last = len(before[2])
        while first > 0 and text[first - 1].key == text[first + n - 1].key:
            first -= 1
        while last + n < len(text) and text[last].key == text[last + n].key:
            last += 1
        best = max(range(first, last + 1), key=lambda p: edge_score(text, p, n))
        side = 1 if run[0] == "delete" else 2
        before[1] = before[2] = text[:best]
        run[side] = text[best : best + n]
        after[1] = after[2] = text[best + n :]
    return runs


def edge_score(text, start, n):
    """How well a run of ``n`` tokens from ``start`` falls on edges: blocks best, then words."""
    first, last = text[start], text[start + n - 1]
    score = 0
    if not first.is_text and BLOCK_EDGE.match(first.key) and not first.key.startswith("</"):
        score += 3
    elif first.is_text and not first.key.isspace():
        score += start == 0 or text[start - 1].key.isspace() or not text[start - 1].is_text
    if not last.is_text and last.key.startswith("</") and BLOCK_EDGE.match(last.key):
        score += 3
    return score


def joined(runs):
    """Changes apart by a single space only read as one change: "12 morts" → "21 blessés"."""
    merged = []
    for run in runs:
        if len(merged) >= 2 and run[0] != "equal" and merged[-2][0] != "equal":
            gap = merged[-1]
            if gap[0] == "equal" and all(token.key.isspace() for token in gap[2]):
                merged.pop()
                previous = merged.pop()
                run = [
                    "replace",
                    [*previous[1], *gap[1], *run[1]],
                    [*previous[2], *gap[2], *run[2]],
                ]
        merged.append(run)
    return merged


def diff_text(old, new):
    """The same for plain text (a headline, a standfirst): its characters are never markup."""
    return diff_html(escape(old or "", False), escape(new or "", False))


def has_changes(old, new):
    """Whether two HTML texts differ in their words or markup, space aside."""
    return [t.key for t in tokens(old)] != [t.key for t in tokens(new)]


def _clean(html):
    # Safe: sanitised by nh3 with the article allow-list plus the two marks and their label.
    return mark_safe(
        nh3.clean(
            html,
            tags=ALLOWED_TAGS | {"ins", "del", "span"},
            attributes=ALLOWED_ATTRIBUTES,
            allowed_classes={"span": {HIDDEN_LABEL}},
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
    )
