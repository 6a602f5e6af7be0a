"""/seasons/ and /series/{series}/{year}/: a season's rounds, classes, rules and entries, read
from the season page's selector (season_page) so the page and the API show the same season."""

from collections import defaultdict
from collections.abc import Sequence

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate

from ..models import Entry, Round, ScoringRules, Season, SeasonClass, Session
from ..selectors.seasons import season_page
from .common import (
    DETAIL_RESPONSES,
    FIRST_YEAR,
    LAST_YEAR,
    LIST_RESPONSES,
    YEAR_PATH,
    champions_out,
    circuit_ref,
    cited,
    driver_ref,
    from_page_selector,
    known_tier,
    series_filter,
    series_ref,
    session_summary,
    team_ref,
)
from .pagination import Mapped, Pages
from .schemas import SeasonDetailOut, SeasonOut

router = Router()


def season_item(season: Season) -> dict:
    return {
        "series": series_ref(season.series),
        "year": season.year,
        "name": season.name,
        "car": season.car,
        "car_generation": season.car_generation.slug if season.car_generation else None,
        "results_partial": season.results_partial,
        "url": season.get_absolute_url(),
    }


@router.get(
    "/seasons/",
    response={200: list[SeasonOut], **LIST_RESPONSES},
    summary="Seasons",
    description="Every series' seasons, by tier, series and year (newest first).",
    tags=["series"],
)
@paginate(Pages)
def season_list(
    request: HttpRequest,
    series: str | None = Query(None, description="a series slug"),
    year: int | None = Query(None, ge=FIRST_YEAR, le=LAST_YEAR),
    tier: int | None = Query(None, description="1, 2 or 3"),
):
    known_tier(tier)
    # The page's form judges the series (one query: the series the pages offer).
    chosen = series_filter(request)
    series = chosen.slug if chosen is not None else None
    seasons = Season.objects.all().select_related("series", "car_generation")
    if series is not None:
        seasons = seasons.filter(series__slug=series)
    if year is not None:
        seasons = seasons.filter(year=year)
    if tier is not None:
        seasons = seasons.filter(series__tier=tier)
    return Mapped(seasons, season_item)


def _scoring_item(scoring: ScoringRules | None) -> dict | None:
    if scoring is None:
        return None
    return {
        "race_points": scoring.race_points,
        "sprint_points": scoring.sprint_points or [],
        "pole_points": scoring.pole_points,
        "fastest_lap_points": scoring.fastest_lap_points,
        "fastest_lap_top": scoring.fastest_lap_top,
        "guests": scoring.guests,
        "drop_worst": scoring.drop_worst,
        "undroppable_last": scoring.undroppable_last,
        "team_cars": scoring.team_cars,
        "class_scoring": scoring.class_scoring,
        "countback_kinds": scoring.countback_kinds or [],
    }


def _class_item(cls: SeasonClass) -> dict:
    return {
        "slug": cls.slug,
        "name": cls.name,
        "order": cls.order,
        "drop_worst": cls.drop_worst,
        "undroppable_last": cls.undroppable_last,
    }


def _round_item(round_: Round, sessions: list[Session]) -> dict:
    return {
        "number": round_.number,
        "name": round_.name,
        "date": round_.date,
        "date_precision": round_.date_precision,
        "date_label": round_.date_label,
        "multiplier": float(round_.multiplier),
        "event": {"slug": round_.event.slug, "name": round_.event.name},
        "circuit": circuit_ref(round_.event.circuit),
        "sessions": [session_summary(session) for session in sessions],
    }


def _entry_item(entry: Entry) -> dict:
    return {
        "driver": driver_ref(entry.driver),
        "team": team_ref(entry.team),
        "number": entry.car_number,
        "class": entry.season_class.slug if entry.season_class else None,
        "guest": entry.guest,
        "rookie": entry.rookie,
    }


def _by_car_number(entry: Entry) -> tuple:
    # The API lists entries by car number (the page groups them by class first).
    return (entry.car_number is None, entry.car_number or 0, entry.driver.sort_name)


def _sessions_by_round(rounds: Sequence[Round]) -> dict[int, list[Session]]:
    # LOCAL QUERY (until the season page selector loads them): every session of each round, not
    # only the races and sprints the page's calendar shows. Each session shares its loaded round
    # and event, whose dates word its day.
    by_pk = {round_.pk: round_ for round_ in rounds}
    sessions: dict[int, list[Session]] = defaultdict(list)
    for session in Session.objects.filter(round__in=list(by_pk)):
        round_ = by_pk.get(session.round_id or 0)
        if round_ is None:
            continue  # never: every session loaded belongs to one of the rounds
        session.round = round_
        session.event = round_.event
        sessions[round_.pk].append(session)
    return sessions


@router.get(
    "/series/{series}/{year}/",
    response={200: SeasonDetailOut, **DETAIL_RESPONSES},
    by_alias=True,
    summary="A season: rounds, classes, scoring rules and entries",
    tags=["series"],
)
def season_detail(request: HttpRequest, series: str, year: int = YEAR_PATH):
    page = from_page_selector(
        lambda: season_page(series, year, timezone.localdate()), "season", series, year
    )
    season = page.season
    sessions = _sessions_by_round(page.rounds)
    # LOCAL QUERY (until the season page selector loads them): every class with its drop rules,
    # including a class no entry is in yet.
    classes = list(season.classes.all())
    entries = sorted((e for group in page.classes for e in group.entries), key=_by_car_number)
    return {
        **season_item(season),
        "state": season.state,
        "in_progress": season.in_progress,
        "champions": champions_out(page.champions if season.finished else []),
        "results_note": season.results_note,
        # The editors' note is private (never shown to fans): the field stays, empty, for v1.
        "notes": "",
        "source": cited(season.source),
        "classes": [_class_item(cls) for cls in classes],
        "scoring": _scoring_item(getattr(season, "scoring", None)),
        "rounds": [_round_item(r, sessions.get(r.pk, [])) for r in page.rounds],
        "entries": [_entry_item(entry) for entry in entries],
    }
