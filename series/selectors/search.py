"""The site search: drivers and teams by folded name tolerating a typo, series, events and
circuits by name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, TypedDict, TypeVar

from django.db.models import F, Q, QuerySet, Value

from pcc.prepared import Prepared

from ..models import (
    Circuit,
    Driver,
    Event,
    Series,
    Team,
)

# What the search looks through: both have a name and its folded search_name.
_Named = TypeVar("_Named", Driver, Team)


SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 100
SEARCH_LIMIT = 25


@dataclass
class SearchResults:
    query: str
    drivers: list[Driver] = field(default_factory=list)
    teams: list[Team] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    events: list[EventHit] = field(default_factory=list)
    circuits: list[Circuit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(group)
            for group in (self.drivers, self.teams, self.series, self.events, self.circuits)
        )


def clean_query(raw: str) -> str:
    """NUL cannot be stored or compared by PostgreSQL; a very long query finds nothing more."""
    return " ".join(raw.replace("\x00", "").split())[:SEARCH_MAX_LENGTH]


# How many drivers (or teams) the typo-tolerant match may look at: a cheap database filter picks
# them, Python compares the words. Far more than the real record holds, so nothing real is missed.
SEARCH_CANDIDATES = 2000
# difflib's ratio above which a word is taken for a typo of a name's word ("vorde" for "voorde":
# 0.91; "muler" for "muller": 0.91). Words shorter than TYPO_MIN_LENGTH must match as typed.
TYPO_RATIO = 0.8
TYPO_MIN_LENGTH = 4


def _name_match(words: list[str], phrase: str, folded: str) -> float | None:
    """How well a folded name matches the folded query, or None. 3: the query as typed is in the
    name; 2: every word is in some word of the name; below: some words are typos of the name's
    words (same first two letters, close spelling). The same rule on every database."""
    if phrase in folded:
        return 3.0
    name_words = folded.replace("|", " ").split()
    score = 0.0
    for word in words:
        if any(word in name_word for name_word in name_words):
            score += 1
            continue
        if len(word) < TYPO_MIN_LENGTH:
            return None
        best = max(
            (
                SequenceMatcher(None, word, name_word).ratio()
                for name_word in name_words
                if name_word[:2] == word[:2]
            ),
            default=0.0,
        )
        if best < TYPO_RATIO:
            return None
        score += best
    return 1 + score / len(words)


def _candidates(queryset: QuerySet[_Named], words: list[str], phrase: str) -> QuerySet[_Named]:
    """A cheap filter that keeps every possible match (the rule above decides). PostgreSQL: the
    folded name holds the text, or pg_trgm finds a word close to a query word, or unaccent finds
    the text in the name as written. SQLite: the folded name holds the text or the first two
    letters of a query word (a typo's name word starts with them)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        from django.contrib.postgres.lookups import TrigramWordSimilar
        from django.contrib.postgres.search import TrigramWordSimilarity
        from django.db.models.functions import Greatest

        # A Value: the word is text, not a column (the stubs only know a plain str).
        similarities = [
            TrigramWordSimilarity(Value(word), "search_name")  # type: ignore[arg-type]
            for word in words
        ]
        closest = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
        # Both arms are answered by the names' trigram index (migration 0017): a word "alike" is
        # one at least pg_trgm.word_similarity_threshold alike (0.3, set per connection in
        # pcc/settings.py); scanning every name for its similarity took 50 ms at 10,000 drivers.
        # search_name is the name folded (accents, case), so it also holds what unaccent finds.
        alike = Q(search_name__contains=phrase)
        for word in words:
            alike |= Q(TrigramWordSimilar(F("search_name"), Value(word)))
        return queryset.annotate(closest=closest).filter(alike).order_by("-closest", "pk")
    wide = Q(search_name__contains=phrase)
    for word in words:
        wide |= Q(search_name__contains=word[:2])
    return queryset.filter(wide).order_by("pk")


def _fuzzy(queryset: QuerySet[_Named], query: str, order: Callable[[_Named], Any]) -> list[_Named]:
    from ..models.people import search_text

    phrase = search_text(query)
    words = phrase.split()
    if not words:
        return []
    # query: the candidates (a bounded list), compared word by word here
    scored = []
    for item in _candidates(queryset, words, phrase)[:SEARCH_CANDIDATES]:
        score = _name_match(words, phrase, item.search_name)
        if score is not None:
            scored.append((score, item))
    scored.sort(key=lambda pair: (-pair[0], order(pair[1])))
    return [item for _, item in scored[:SEARCH_LIMIT]]


def _folded(*texts: str) -> str:
    """search_text(*texts), without its Unicode work for plain ASCII (most names): lower case and
    spaces folded are all it does to them. A search folds every event, series and circuit name."""
    if not all(text.isascii() for text in texts):
        from ..models.people import search_text

        return search_text(*texts)
    folded = (" ".join(text.lower().replace("|", " ").split()) for text in texts)
    return " | ".join(text for text in folded if text)


# The lists a search folds and compares here, compiled once per process (pcc/prepared.py); the
# events only on SQLite (PostgreSQL narrows them by the text, which the ORM rewrites).
_EVENTS = Prepared(
    lambda: Event.objects.order_by("-start_date", "name").values_list(
        "slug", "name", "start_date", "circuit__name"
    )
)
_SERIES = Prepared(lambda: Series.objects.all().order_by("tier", "name"))
_CIRCUITS = Prepared(lambda: Circuit.objects.all().order_by("name"))


class EventHit(TypedDict):
    """An event found, as the search prints it: plain values, no model built for the events
    whose names are only compared."""

    slug: str
    name: str
    year: int
    circuit: str


def _events(query: str, phrase: str) -> list[EventHit]:
    """Events whose folded names hold the folded text, newest first: "nurburgring" finds the
    Nürburgring's events on every database alike. The rule is applied here; the database only
    narrows the rows (PostgreSQL with unaccent; SQLite has none, and its record is small)."""
    from django.db import connection

    if not phrase:
        return []  # marks alone fold to nothing, which every name would "contain"
    # query: the events whose names may hold the text, with their circuits' names
    events: Iterable[tuple[str, str, dt.date, str]]
    if connection.vendor != "postgresql":
        events = _EVENTS()
    else:
        from django.contrib.postgres.lookups import Unaccent
        from django.db.models.functions import Lower

        events = (
            _EVENTS.build()
            .alias(plain_name=Unaccent(Lower("name")))
            .filter(Q(plain_name__contains=phrase) | Q(name__icontains=query))[:SEARCH_CANDIDATES]
        )
    found: list[EventHit] = []
    for slug, name, start_date, circuit in events:
        if phrase in _folded(name):
            found.append(EventHit(slug=slug, name=name, year=start_date.year, circuit=circuit))
            if len(found) == SEARCH_LIMIT:
                break
    return found


def search(query: str) -> SearchResults:
    """Drivers and teams by name without regard to accents or case, tolerating a typo ("muller"
    finds Müller, "ten vorde" Larry ten Voorde), a driver by the name in its own script and a team
    by its other names too; series, events and circuits whose names contain the text, accents
    and case ignored."""
    from ..models.people import search_text

    results = SearchResults(query)
    if len(query) < SEARCH_MIN_LENGTH:
        return results
    n = SEARCH_LIMIT
    # queries: drivers; teams; series, events, circuits whose names contain the text
    results.drivers = _fuzzy(
        Driver.objects.all(), query, lambda driver: (driver.sort_name, driver.name)
    )
    results.teams = _fuzzy(Team.objects.all(), query, lambda team: team.name)
    # The series and circuits are few: their names are folded here, so "nurburgring" finds the
    # Nürburgring on every database alike.
    phrase = search_text(query)
    results.series = [
        series for series in _SERIES() if phrase in _folded(series.name, series.short_name)
    ][:n]
    results.events = _events(query, phrase)
    results.circuits = [
        circuit for circuit in _CIRCUITS() if phrase in _folded(circuit.name, circuit.place)
    ][:n]
    return results
