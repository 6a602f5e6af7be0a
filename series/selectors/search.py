"""The site search: drivers and teams by folded name tolerating a typo, series, events and
circuits by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, TypedDict, TypeVar

from django.db.models import BooleanField, F, Func, Q, QuerySet, Value

from pcc.prepared import Prepared

from ..models import (
    Circuit,
    Driver,
    Event,
    Series,
    Team,
)
from ..models.pyramid import Tier, series_display_name

# What the search looks through: both have a name and its folded search_name.
_Named = TypeVar("_Named", Driver, Team)


@dataclass(slots=True)
class DriverHit:
    """A driver found, as the search prints it (plain values: no model built per candidate)."""

    slug: str
    name: str
    name_original: str
    nationality: str
    sort_name: str


@dataclass(slots=True)
class TeamHit:
    slug: str
    name: str


@dataclass(slots=True)
class SeriesHit:
    slug: str
    tier: int
    tier_label: str | int
    display_name: str


@dataclass(slots=True)
class CircuitHit:
    slug: str
    name: str
    country: str


SEARCH_MIN_LENGTH = 2
SEARCH_MAX_LENGTH = 100
SEARCH_LIMIT = 25


@dataclass
class SearchResults:
    query: str
    drivers: list[DriverHit] = field(default_factory=list)
    teams: list[TeamHit] = field(default_factory=list)
    series: list[SeriesHit] = field(default_factory=list)
    events: list[EventHit] = field(default_factory=list)
    circuits: list[CircuitHit] = field(default_factory=list)

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


def _candidates(
    model: type[_Named], fields: tuple[str, ...], phrase: str, *words: str
) -> QuerySet[_Named, tuple[Any, ...]]:
    """A cheap filter that keeps every possible match (the rule above decides). PostgreSQL: the
    folded name holds the text, or pg_trgm finds a word close to a query word, or unaccent finds
    the text in the name as written. SQLite: the folded name holds the text or the first two
    letters of a query word (a typo's name word starts with them; `words` are those two letters
    there). The texts are Value()s, so the LIKE patterns are built by the database and the query
    is compiled once per number of words (pcc/prepared.py)."""
    from django.db import connection

    queryset = model.objects.all()
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
        alike = Q(search_name__contains=Value(phrase))
        for word in words:
            alike |= Q(TrigramWordSimilar(F("search_name"), Value(word)))
        return (
            queryset.annotate(closest=closest)
            .filter(alike)
            .order_by("-closest", "pk")
            .values_list(*fields)[:SEARCH_CANDIDATES]
        )
    wide = Q(search_name__contains=Value(phrase))
    for word in words:
        wide |= Q(search_name__contains=Value(word))
    return queryset.filter(wide).order_by("pk").values_list(*fields)[:SEARCH_CANDIDATES]


# What the search shows of a driver and a team, then the folded name it compares.
_DRIVER_FIELDS = ("slug", "name", "name_original", "nationality", "sort_name", "search_name")
_TEAM_FIELDS = ("slug", "name", "search_name")
_DRIVERS = Prepared(lambda phrase, *words: _candidates(Driver, _DRIVER_FIELDS, phrase, *words))
_TEAMS = Prepared(lambda phrase, *words: _candidates(Team, _TEAM_FIELDS, phrase, *words))


def _fuzzy(
    prepared: Prepared[QuerySet[Any, tuple[Any, ...]]], words: list[str], phrase: str
) -> list[tuple[float, tuple[Any, ...]]]:
    """The candidates that match (query: the candidates, a bounded list), with their scores."""
    from django.db import connection

    # SQLite narrows by the first two letters of each word; PostgreSQL compares whole words.
    asked = words if connection.vendor == "postgresql" else [word[:2] for word in words]
    scored = []
    for row in prepared(phrase, *asked):
        score = _name_match(words, phrase, row[-1])
        if score is not None:
            scored.append((score, row))
    return scored


def _folded(*texts: str) -> str:
    """search_text(*texts), without its Unicode work for plain ASCII (most names): lower case and
    spaces folded are all it does to them. A search folds every event, series and circuit name."""
    if not all(text.isascii() for text in texts):
        from ..models.people import search_text

        return search_text(*texts)
    folded = (" ".join(text.lower().replace("|", " ").split()) for text in texts)
    return " | ".join(text for text in folded if text)


class _BeyondPlainAscii(Func):
    """Whether a text holds a character outside printable ASCII (an accent, another script, a
    tab): the texts _folded() hands to search_text(), whose folding only Python knows."""

    arity = 1
    output_field = BooleanField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s GLOB '*[^ -~]*')")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="(%(expressions)s ~ '[^ -~]')")


def _may_hold(phrase: str, *fields: str) -> Q:
    """Rows where _folded(*fields) may hold the folded text, for the database to narrow by: a
    field that holds it in any case (a plain ASCII text folds to itself in lower case, with its
    spaces squeezed and `|` made a space), or whose folding this cannot tell (beyond plain ASCII,
    two spaces in a row, a `|`). Python then applies the rule itself. The text is a Value, so the
    LIKE pattern is built by the database and the query compiled once (pcc/prepared.py)."""
    held = Q()
    for name in fields:
        held |= (
            Q(**{f"{name}__icontains": Value(phrase)})
            | Q(_BeyondPlainAscii(name))
            | Q(**{f"{name}__contains": "  "})
            | Q(**{f"{name}__contains": "|"})
        )
    return held


# The lists a search folds and compares here, narrowed by the database (_may_hold), compiled once
# per process (pcc/prepared.py). The events are the many: at most SEARCH_CANDIDATES are read.
_EVENTS = Prepared(
    lambda phrase: (
        Event.objects.filter(_may_hold(phrase, "name"))
        # Then by id: two events of one day and name came in any order on PostgreSQL.
        .order_by("-start_date", "name", "pk")
        .values_list("slug", "name", "start_date", "circuit__name")[:SEARCH_CANDIDATES]
    )
)
_SERIES = Prepared(
    lambda phrase: (
        Series.objects.filter(_may_hold(phrase, "name", "short_name"))
        .order_by("tier", "name")
        .values_list("slug", "tier", "name", "short_name")
    )
)
_CIRCUITS = Prepared(
    lambda phrase: (
        Circuit.objects.filter(_may_hold(phrase, "name", "place"))
        .order_by("name")
        .values_list("slug", "name", "country", "place")
    )
)


class EventHit(TypedDict):
    """An event found, as the search prints it: plain values, no model built for the events
    whose names are only compared."""

    slug: str
    name: str
    year: int
    circuit: str


def _events(phrase: str) -> list[EventHit]:
    """Events whose folded names hold the folded text, newest first: "nurburgring" finds the
    Nürburgring's events on every database alike. The rule is applied here; the database only
    narrows the rows (_may_hold: on PostgreSQL, unaccent's narrowing missed a name with two
    spaces in a row, a tab or a `|`, which the rule finds)."""
    if not phrase:
        return []  # marks alone fold to nothing, which every name would "contain"
    # query: the events whose names may hold the text, with their circuits' names
    found: list[EventHit] = []
    for slug, name, start_date, circuit in _EVENTS(phrase):
        if phrase in _folded(name):
            found.append(EventHit(slug=slug, name=name, year=start_date.year, circuit=circuit))
            if len(found) == SEARCH_LIMIT:
                break
    return found


_TIER_LABELS: dict[int, str] = dict(Tier.choices)


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
    phrase = search_text(query)
    words = phrase.split()
    # queries: drivers; teams; series, events, circuits whose names contain the text
    if words:
        drivers = _fuzzy(_DRIVERS, words, phrase)
        drivers.sort(key=lambda pair: (-pair[0], pair[1][4], pair[1][1]))  # by sort_name, name
        results.drivers = [DriverHit(*row[:5]) for _, row in drivers[:n]]
        teams = _fuzzy(_TEAMS, words, phrase)
        teams.sort(key=lambda pair: (-pair[0], pair[1][1]))  # by name
        results.teams = [TeamHit(*row[:2]) for _, row in teams[:n]]
    # The series and circuits are few: their names are folded here, so "nurburgring" finds the
    # Nürburgring on every database alike (the database only narrows them). Marks alone fold to
    # nothing, which every name "contains": then every one is listed, as before.
    results.series = [
        SeriesHit(
            slug=slug,
            tier=tier,
            tier_label=_TIER_LABELS.get(tier, tier),
            display_name=series_display_name(name, short_name),
        )
        for slug, tier, name, short_name in _SERIES(phrase)
        if phrase in _folded(name, short_name)
    ][:n]
    results.events = _events(phrase)
    results.circuits = [
        CircuitHit(slug=slug, name=name, country=country)
        for slug, name, country, place in _CIRCUITS(phrase)
        if phrase in _folded(name, place)
    ][:n]
    return results
