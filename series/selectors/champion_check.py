"""The champion check: where a season's results are complete, the champion the points engine
computes must be the champion on record (Champion rows, kept by editors from the sources). The
admin shows each class's verdict on a season's page and flags disagreements on the changelist.

A record's class is free text as the sources print it: "overall", "Pro-Am", "ProAm",
"overall (Pro)", "Pro (overall, Al Holbert Cup)", or "none" for a title not held. It is matched to
the season's classes by name or slug, ignoring case and punctuation; a record naming "overall"
anywhere is also the overall title."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from ..models import (
    FINAL_STATUSES,
    SCORING_KINDS,
    Champion,
    PublishedStanding,
    Result,
    Round,
    Season,
    Session,
    SessionStatus,
)
from ..models.people import fold_letters
from .standings import FinalLeaders, final_leaders, get_standings

AGREES = "agrees"
DISAGREES = "disagrees"
NO_RECORD = "no record"
INCOMPLETE = "results incomplete"
# A record for a class the season does not have (Supercup 2022 kept a Pro-Am title, but its
# season table has no classes): nothing to compare it with.
NOT_A_CLASS = "not a class of the season"

OVERALL = "overall"
# Class texts meaning "no title that year" (a season not held or cancelled).
_NO_TITLE = {"", "none", "notheld"}


def _key(text: str) -> str:
    """Compare class names ignoring case and punctuation: "Pro-Am", "ProAm" and "pro am" match."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _same_name(a: str, b: str) -> bool:
    """Two printings of a driver's name: the same letters by the site's one rule (case and
    accents aside, people.fold_letters) and spacing aside."""
    return " ".join(fold_letters(a).split()) == " ".join(fold_letters(b).split())


def record_class_keys(class_name: str) -> set[str]:
    """The class keys a record's class text names: its main name, each name in brackets, and
    OVERALL when "overall" appears anywhere ("Pro (overall, Al Holbert Cup)" -> pro, overall,
    alholbertcup)."""
    text = class_name.strip()
    if _key(text) in _NO_TITLE:
        return set()
    main, _, rest = text.partition("(")
    keys = {_key(main)} | {_key(part) for part in re.split(r"[,;/)]", rest) if _key(part)}
    if OVERALL in _key(text):
        keys.add(OVERALL)
    keys.discard("")
    return keys


def published_row(champion: Champion) -> PublishedStanding | None:
    """The row of the season's published table (as the organiser printed it) that is this title
    holder's: the season of the title's series and year, a class its text names, the driver by
    link where both rows are linked, else by the name printed. One query; None where the table
    is not on record or does not list the holder."""
    keys = record_class_keys(champion.class_name)
    if not champion.series_id or not keys:
        return None
    rows = PublishedStanding.objects.filter(
        season__series_id=champion.series_id, season__year=champion.year
    )
    for row in rows:
        both_linked = champion.driver_id and row.driver_id
        same = (
            champion.driver_id == row.driver_id
            if both_linked
            else _same_name(champion.driver_name, row.driver_name)
        )
        if same and _key(row.class_name) in keys:
            return row
    return None


def published_points_conflict(champion: Champion) -> str | None:
    """Why the champion's points cannot stand: the published table gives the same driver other
    points, so two pages would answer one question two ways (the home page's champions and the
    season's standings). None where they agree or either is not on record."""
    if champion.points is None:
        return None
    row = published_row(champion)
    if row is None or row.points is None or row.points == champion.points:
        return None
    return (
        f"The published {row.class_name} table of {champion.year} gives {row.driver_name} "
        f"{row.points.normalize():f} points, not {champion.points.normalize():f}: the two must "
        "agree. Enter the published figure, or leave the points blank."
    )


@dataclass(frozen=True)
class Leader:
    name: str
    slug: str


@dataclass(frozen=True)
class ChampionCheck:
    class_name: str  # "Overall" or the season class's name (or the record's text, NOT_A_CLASS)
    class_slug: str | None  # None for the overall table
    computed: Leader | None  # the leader of the complete table; None when not computed
    on_record: tuple[str, ...]  # drivers' names as the records print them
    status: str

    @property
    def text(self) -> str:
        """The verdict in words (the admin shows text, never only a colour)."""
        if self.status == AGREES:
            assert self.computed is not None  # agreeing needs a computed leader
            return f"✓ agrees: {self.computed.name}"
        if self.status == DISAGREES:
            computed = self.computed.name if self.computed else "nobody"
            return f"✗ disagrees: computed {computed}, on record {' / '.join(self.on_record)}"
        if self.status == NO_RECORD and self.computed:
            return f"no record (computed {self.computed.name})"
        return self.status


def _matches(record: Champion, leader: Leader) -> bool:
    """Touches record.driver (select it with the record)."""
    if record.driver is not None:
        return record.driver.slug == leader.slug
    return _same_name(record.driver_name, leader.name)


def _records_of(season: Season) -> list[Champion]:
    return list(
        Champion.objects.filter(series_id=season.series_id, year=season.year)
        .select_related("driver")
        .order_by("class_name", "driver_name")
    )


def champion_check(
    season: Season,
    *,
    version: int | None = None,
    records: list[Champion] | None = None,
    leaders: FinalLeaders | None = None,
) -> list[ChampionCheck]:
    """One verdict for the overall table and for each class of the season, then one for each record
    of a class the season does not have. Costs the records (one query, none when given) and the
    leaders of the season's stored final tables (two queries, none when given). `version` is
    accepted for callers that read it; stored rows need none."""
    if records is None:
        records = _records_of(season)
    if leaders is None:
        leaders = final_leaders([season]).get(season.pk)
    if leaders is None:
        # The engine refuses the season's data (nothing stored): get_standings raises why.
        get_standings(season)
        return []
    tables: list[tuple[str, str | None, set[str]]] = [("Overall", None, {OVERALL})]
    tables += [(name, slug, {_key(name), _key(slug)}) for slug, name in leaders.classes]

    checks = []
    matched: set[int] = set()
    for class_name, class_slug, keys in tables:
        on_record = [record for record in records if record_class_keys(record.class_name) & keys]
        matched.update(record.pk for record in on_record)
        names = tuple(record.driver_name for record in on_record)
        if not leaders.complete:
            checks.append(ChampionCheck(class_name, class_slug, None, names, INCOMPLETE))
            continue
        first = leaders.leaders.get(class_slug)
        leader = Leader(name=first[1], slug=first[0]) if first is not None else None
        if not on_record:
            status = NO_RECORD
        elif leader is not None and any(_matches(record, leader) for record in on_record):
            status = AGREES
        else:
            status = DISAGREES
        checks.append(ChampionCheck(class_name, class_slug, leader, names, status))
    for record in records:
        if record.pk not in matched and record_class_keys(record.class_name):
            checks.append(
                ChampionCheck(record.class_name, None, None, (record.driver_name,), NOT_A_CLASS)
            )
    return checks


def summary(checks: list[ChampionCheck]) -> str:
    """One line for a season: every disagreement, else whether the results are incomplete, else
    agreement where there is a record."""
    disagreements = [check for check in checks if check.status == DISAGREES]
    if disagreements:
        return "; ".join(
            check.text if check.class_slug is None else f"{check.class_name}: {check.text}"
            for check in disagreements
        )
    if any(check.status == INCOMPLETE for check in checks):
        return INCOMPLETE
    if any(check.status == AGREES for check in checks):
        return "✓ agrees"
    return NO_RECORD


def _complete_season_ids(seasons: list[Season]) -> set[int]:
    """The seasons whose results look complete, in two queries for any number of seasons. The
    rule is load_season's (series/selectors/standings.py), which stays the judge: this only spares
    computing standings for seasons that can't be checked."""
    candidates = [season.pk for season in seasons if not season.results_partial]
    if not candidates:
        return set()
    rounds_of: dict[int, set[int]] = defaultdict(set)
    for round_id, season_id in Round.objects.filter(season_id__in=candidates).values_list(
        "pk", "season_id"
    ):
        rounds_of[season_id].add(round_id)
    scoring_rounds: set[int] = set()
    unfinished: set[int] = set()  # seasons with a scoring session not final or without results
    sessions = (
        Session.objects.filter(round__season_id__in=candidates, kind__in=SCORING_KINDS)
        .annotate(has_results=Exists(Result.objects.filter(session=OuterRef("pk"))))
        .values_list("round_id", "round__season_id", "status", "has_results")
    )
    for round_id, season_id, status, has_results in sessions:
        scoring_rounds.add(round_id)
        if status != SessionStatus.CANCELLED and (status not in FINAL_STATUSES or not has_results):
            unfinished.add(season_id)
    return {
        season_id
        for season_id, round_ids in rounds_of.items()
        if season_id not in unfinished and round_ids <= scoring_rounds
    }


def champion_summaries(seasons: Iterable[Season]) -> dict[int, str]:
    """summary() of each season, for a changelist page: five queries whatever the number of
    seasons (rounds, scoring sessions, records, and the complete seasons' stored snapshots and
    first places), the tables computed once per change of a season, after its commit."""
    seasons = list(seasons)
    complete = _complete_season_ids(seasons)
    if not complete:
        return {season.pk: INCOMPLETE for season in seasons}
    records_of: dict[tuple[int, int], list[Champion]] = defaultdict(list)
    checked = [season for season in seasons if season.pk in complete]
    for record in (
        Champion.objects.filter(
            series_id__in={season.series_id for season in checked},
            year__in={season.year for season in checked},
        )
        .select_related("driver")
        .order_by("class_name", "driver_name")
    ):
        records_of[record.series_id, record.year].append(record)
    leaders = final_leaders(checked)
    return {
        season.pk: (
            summary(
                champion_check(
                    season,
                    records=records_of[season.series_id, season.year],
                    leaders=leaders.get(season.pk),
                )
            )
            if season.pk in complete
            else INCOMPLETE
        )
        for season in seasons
    }
