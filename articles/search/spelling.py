"""Spelling suggestions: each word of a search that the archive does not know, replaced by the
nearest word it knows ("zelenski" → "zelensky").

The vocabulary is ``SearchTerm``: the words of headlines, standfirsts, tags and bylines, where
the names readers misspell are. PostgreSQL ranks it with pg_trgm (articles.search.postgres);
elsewhere the words sharing the typed word's first two letters are read through the primary
key's index, and RapidFuzz picks the nearest by edit distance. A typo in those two letters gets
no suggestion there: the price of reading a few hundred words instead of all of them.
"""

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from articles.search.models import SearchTerm
from articles.search.query import WORD, fold, stem, words

PREFIX = 2
# Below this share of letters in place (one edit in five letters is 0.8), no suggestion.
SIMILARITY = 0.7
# How many unknown words of one search are looked up, at most.
MAX_WORDS = 4


def nearest_in_vocabulary(word):
    folded = fold(word)
    prefix = folded[:PREFIX]
    # A range, which the index serves (a case-insensitive LIKE would scan the table).
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    candidates = dict(
        SearchTerm.objects.filter(folded__gte=prefix, folded__lt=after).values_list(
            "word", "folded"
        )
    )
    best = process.extractOne(
        folded, candidates, scorer=Levenshtein.normalized_similarity, score_cutoff=SIMILARITY
    )
    # On a mapping, RapidFuzz gives (value, score, key): the key is the word as written.
    return best[2] if best else None


def suggestion(text, similar_word):
    """``text`` with its unknown words replaced by ``similar_word(word)``, or None if none is.

    A word whose nearest neighbour shares its stem ("drones" and "drone") is no misspelling.
    """
    typed = [word for word in dict.fromkeys(words(text)) if len(word) >= 3 and not word.isdigit()]
    folded = {word: fold(word) for word in typed}
    known = set(
        SearchTerm.objects.filter(folded__in=folded.values()).values_list("folded", flat=True)
    )
    replacements = {}
    for word in [word for word in typed if folded[word] not in known][:MAX_WORDS]:
        nearest = similar_word(word)
        if nearest and stem(nearest) != stem(word):
            replacements[word] = nearest
    if not replacements:
        return None
    return WORD.sub(lambda m: replacements.get(m[0].lower(), m[0]), text)
