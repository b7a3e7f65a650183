"""What a reader typed in the search box, read the way a web search box reads it.

Quoted phrases, ``OR`` between two terms and ``-`` before a term to exclude it. Everything else is
text: only runs of letters and digits are kept, so no search syntax of either engine (``*``,
``NEAR(``, ``:``, quotes, parentheses) ever reaches the database.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

MAX_LENGTH = 200

# A quoted phrase, a bare chunk up to the next space or quote, or a quote left unbalanced.
CHUNK = re.compile(r'(-?)"([^"]*)"|(-?)([^\s"]+)|"')
WORD = re.compile(r"[^\W_]+")

# French verb forms that Snowball's stemmer keeps apart ("soutient" / "soutiennent"): a single
# word searched for also looks for its other forms. Only forms that cannot swallow an unrelated
# short word are added ("-ent" is never cut, or "dent" would find "de").
VERB_FORMS = [
    (re.compile(r"(\w{2,})ient$"), r"\1iennent"),
    (re.compile(r"(\w{2,})iennent$"), r"\1ient"),
    (re.compile(r"(\w{2,})end$"), r"\1ennent"),
    (re.compile(r"(\w{2,})ennent$"), r"\1end"),
    (re.compile(r"(\w{3,}[^aeiouyé])e$"), r"\1ent"),
]


def words(text):
    """The words of ``text`` in lower case, accents and all, as both engines split them."""
    return [word.lower() for word in WORD.findall(unicodedata.normalize("NFC", text))]


_local = threading.local()  # Stemmer objects must not be shared between threads.


def fold(word):
    """``word`` without its accents: "corée" → "coree"."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if c.isalnum()) or word


@lru_cache(maxsize=100_000)
def stem(word):
    """The Snowball French stem of a lower-case word, accents folded first on both sides."""
    if not hasattr(_local, "stemmer"):
        _local.stemmer = Stemmer.Stemmer("french")
    return _local.stemmer.stemWord(fold(word))


def verb_forms(word):
    """``word`` and the other present-tense forms of the same verb that stemming would miss."""
    forms = [word]
    for pattern, replacement in VERB_FORMS:
        other = pattern.sub(replacement, word)
        if other != word:
            forms.append(other)
    return tuple(forms)


@dataclass(frozen=True)
class Query:
    """Every group must match (one of its phrases will do) and no excluded phrase may.

    A phrase is a tuple of words; a single word is a phrase of one.
    """

    groups: tuple = ()
    excluded: tuple = ()

    def __bool__(self):
        return bool(self.groups)


def parse(text):
    """The ``Query`` a reader's text stands for; empty when it holds no word to look for."""
    terms = []  # [excluded, phrase, is_or_operator]
    for match in CHUNK.finditer(text[:MAX_LENGTH]):
        minus_quoted, quoted, minus_bare, bare = match.groups()
        if quoted is None and bare is None:
            continue  # an unbalanced quote is only punctuation
        is_or = bare == "OR" and not minus_bare
        phrase = tuple(words(quoted if quoted is not None else bare))
        if phrase or is_or:
            terms.append((bool(minus_quoted or minus_bare), phrase, is_or))

    groups, excluded, join_next = [], [], False
    for i, (is_excluded, phrase, is_or) in enumerate(terms):
        if is_or:
            # OR joins the terms on each side of it; anywhere else it is the word "or".
            if groups and not join_next and i + 1 < len(terms) and not terms[i + 1][0]:
                join_next = True
                continue
            phrase = ("or",)
        if is_excluded:
            excluded.append(phrase)
            continue
        alternatives = verb_forms(phrase[0]) if len(phrase) == 1 else ()
        alternatives = tuple((form,) for form in alternatives) or (phrase,)
        if join_next:
            groups[-1] = groups[-1] + alternatives
            join_next = False
        else:
            groups.append(alternatives)
    return Query(tuple(groups), tuple(excluded))
