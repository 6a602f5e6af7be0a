"""CSV downloads: a season's standings, and a session's results in the results import format (so a
download can be corrected in a spreadsheet and imported again)."""

from collections.abc import Iterable
from decimal import Decimal

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from .. import csv_safety
from ..api import format_duration
from ..filters import StandingsFilters
from ..importers import RESULT_COLUMNS
from ..models import Result, Season, Session
from ..selectors.standings import get_standings


def _csv_response(filename: str, header: Iterable[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv_safety.writer(response, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return response


def _bad(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _bad_filters(filters: StandingsFilters) -> HttpResponse | None:
    """A download is a file, not a page that can go on without a filter: a bad parameter is a 400
    naming it, in the words of the standings page's form."""
    # ?before= (the page's table before an amendment) is not offered here: the file is of now.
    problems = {name: why for name, why in filters.problems.items() if name != "before"}
    if not problems:
        return None
    return _bad(" ".join(f"{name}: {reason}" for name, reason in problems.items()))


@require_safe
def season_standings_csv(request: HttpRequest, series: str, year: int) -> HttpResponse:
    # The season's table gives the classes and rounds the form offers (the page's own check).
    season = get_object_or_404(
        Season.objects.all().select_related("series", "scoring"), series__slug=series, year=year
    )
    overall = get_standings(season)
    filters = StandingsFilters(
        request.GET,
        {"class": [slug for slug, _ in overall.classes], "after": overall.all_rounds},
    )
    bad = _bad_filters(filters)
    if bad is not None:
        return bad
    table = filters.value("table") or "drivers"
    class_slug = filters.value("class")
    after_round = filters.value("after")
    try:
        standings = get_standings(season, table, class_slug, after_round)
    except ValueError as error:
        return _bad(str(error))

    rounds = standings.round_numbers
    who = ["driver", "name", "nationality"] if table == "drivers" else ["team", "name"]
    # An incomplete row (some result unknown) has empty points, wins and podiums: its known
    # figures are in the *_known columns, and an unknown round's cell is empty, never 0.
    header = [
        "position",
        *who,
        "points",
        "wins",
        "podiums",
        "gap",
        "eligible",
        "excluded",
        "complete",
        "points_known",
        "wins_known",
        "podiums_known",
        *(f"r{number}" for number in rounds),
    ]

    def lines():
        for row in standings.rows:
            by_round = {round_points.round: round_points for round_points in row.rounds}
            cells = []
            for number in rounds:
                round_points = by_round.get(number)
                if round_points is None or round_points.points is None:
                    cells.append("")  # no such round for the row, or its result is unknown
                elif round_points.dropped:
                    # Dropped rounds in brackets, as the published tables print them.
                    cells.append(f"({_number(round_points.points)})")
                else:
                    cells.append(_number(round_points.points))
            identity = (
                [row.key, row.name, row.nationality]
                if table == "drivers"
                else [
                    row.key,
                    row.name,
                ]
            )
            yield [
                row.position if row.position is not None else "",
                *identity,
                _number(row.points) if row.complete else "",
                row.wins if row.complete else "",
                row.podiums if row.complete else "",
                _number(row.gap),
                _yes(row.eligible),
                _yes(row.excluded),
                _yes(row.complete),
                "" if row.points_unknown else _number(row.points),
                row.wins,
                row.podiums,
                *cells,
            ]

    parts = [season.series.slug, str(season.year), table]
    if class_slug:
        parts.append(class_slug)
    if after_round is not None:
        parts.append(f"after-round-{after_round}")
    return _csv_response("-".join(parts) + "-standings.csv", header, lines())


@require_safe
def session_results_csv(request: HttpRequest, event: str, session: str) -> HttpResponse:
    try:
        found = (
            Session.objects.all()
            .select_related("event", "round")
            .get(event__slug=event, slug=session)
        )
    except Session.DoesNotExist:
        raise Http404("No such session.") from None
    results = list(
        Result.objects.filter(session=found).select_related(
            "entry__driver", "entry__team", "entry__season_class", "team"
        )
    )

    def lines():
        for result in results:
            entry = result.entry
            team = result.team or entry.team
            values = {
                "round": found.round.number if found.round else "",
                # The slug, not the kind: a round may hold two races, and the import reads both.
                "session": found.slug,
                "position": result.position if result.position is not None else "",
                "status": result.status,
                "number": result.car_number if result.car_number is not None else entry.car_number,
                "driver": entry.driver.name,
                "nationality": entry.driver.nationality,
                "team": team.name if team else "",
                "class": entry.season_class.name if entry.season_class else "",
                "guest": _yes(entry.guest),
                "laps": result.laps,
                "time": format_duration(result.race_time),
                "gap": result.gap,
                "best_lap": format_duration(result.best_lap),
                "grid": result.grid,
                "pole": _yes(result.pole),
                "fastest_lap": _yes(result.fastest_lap),
                "rookie": _yes(entry.rookie),
                "penalty": result.penalty,
            }
            yield [
                "" if values.get(column) is None else values.get(column, "")
                for column in RESULT_COLUMNS
            ]

    filename = f"{found.event.slug}-{found.slug}-results.csv"
    return _csv_response(filename, RESULT_COLUMNS, lines())
