"""What readers' pages poll: the changes to a live coverage after the number they have.

A thousand readers polling every 15 seconds must cost the database almost nothing, so a poll
reads the cache, not the database:

- the coverage's *state* (its change number, whether readers may see it, when it ends) is put
  in the cache at write time, by every save of the coverage or of an update (see signals);
- the answer for (change number, reader's number) is built once, from one query, and kept in
  the cache: readers who are up to date all ask the same question, and the others catch up
  in one step, so the few distinct answers are built once per change;
- the answer carries an ETag and ``max-age``, so a shared cache in front (or the browser)
  answers repeated polls with no request reaching a worker at all.

Without a cache (it failed, or it was emptied) a poll costs two small indexed queries.
"""

import json
import time
from typing import NamedTuple

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from live.models import LiveCoverage, LiveUpdate

# How long a shared cache may keep an answer: under the polling interval, so that a reader is
# never more than one poll behind.
MAX_AGE = 5
# The browser's polling interval (the static script reads it from the page).
INTERVAL_SECONDS = 15
# More changes than this in one answer: the reader's page is told to reload instead.
MAX_CHANGES = 50
# An answer is the same forever (its key holds the change number); this only bounds the cache.
ANSWER_SECONDS = 300
# The state is renewed after every change commits. Two commits close together could renew it
# out of order (each reads, then writes the cache): this bounds how long that could last.
STATE_SECONDS = 30
# A number no coverage holds: remembered briefly, so made-up ids cost one query a minute.
ABSENT_SECONDS = 60
ABSENT = "absent"


class State(NamedTuple):
    sequence: int
    visible_from: float | None  # the article's publication time, None while it is a draft
    ends_at: float

    @property
    def is_visible(self):
        return self.visible_from is not None and self.visible_from <= time.time()

    @property
    def is_live(self):
        return time.time() < self.ends_at


def state_key(pk):
    return f"live:state:{pk}"


def read_state(pk):
    """The coverage's state from the database (one query), or None if there is no coverage."""
    coverage = LiveCoverage.objects.select_related("article").filter(pk=pk).first()
    if coverage is None:
        return None
    article = coverage.article
    published = article.status == article.Status.PUBLISHED
    return State(
        coverage.sequence,
        article.published_at.timestamp() if published else None,
        coverage.ends_at.timestamp(),
    )


def remember_state(pk):
    """Write time: put the coverage's state in the cache for the polls to come."""
    state = read_state(pk)
    if state is None:
        cache.set(state_key(pk), ABSENT, ABSENT_SECONDS)
    else:
        cache.set(state_key(pk), tuple(state), STATE_SECONDS)


def forget_state(pk):
    """The next poll reads the state from the database (an article changed, say)."""
    cache.delete(state_key(pk))


def state(pk):
    """The coverage's state, from the cache when it is there."""
    cached = cache.get(state_key(pk))
    if cached == ABSENT:
        return None
    if cached is not None:
        return State(*cached)
    found = read_state(pk)
    # add(), not set(): a change committed since this read has renewed the state already.
    if found is None:
        cache.add(state_key(pk), ABSENT, ABSENT_SECONDS)
    else:
        cache.add(state_key(pk), tuple(found), STATE_SECONDS)
    return found


def etag(state, after):
    return f'"{state.sequence}-{after}-{int(state.is_live)}"'


def answer(pk, state, after):
    """The JSON answer to a poll from number ``after``: built once, then from the cache."""
    key = f"live:answer:{pk}:{state.sequence}:{after}:{int(state.is_live)}"
    body = cache.get(key)
    if body is None:
        body = json.dumps(changes(pk, state, after), ensure_ascii=False).encode()
        cache.set(key, body, ANSWER_SECONDS)
    return body


def changes(pk, state, after):
    """Updates posted or corrected after number ``after``, and the ones withdrawn since."""
    data = {"sequence": state.sequence, "live": state.is_live, "updates": [], "withdrawn": []}
    if not state.is_live:
        data["message"] = _("This live coverage is over.")
    if after > state.sequence:
        data["reload"] = True  # a number from another database: start again from the page
        return data
    if after == state.sequence:
        return data  # up to date: nothing to look for
    rows = list(
        LiveUpdate.objects.filter(coverage_id=pk, sequence__gt=after, sequence__lte=state.sequence)
        .select_related("author", "article")
        .order_by("sequence")[: MAX_CHANGES + 1]
    )
    if len(rows) > MAX_CHANGES:
        data["reload"] = True
        return data
    for update in rows:
        if update.withdrawn_at is not None:
            data["withdrawn"].append(update.pk)
        else:
            html = render_to_string("live/includes/update.html", {"update": update})
            data["updates"].append({"id": update.pk, "key": update.is_key, "html": html})
    return data
