"""Writing a checked season plan: first every reference (series, car, circuits, events) is checked
against the database, all faults at once; then circuits, events, the season, its rules, classes,
rounds and sessions are created or updated, inside the import's one transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.text import slugify

from ..models import (
    CarGeneration,
    Circuit,
    Event,
    Result,
    Round,
    ScoringRules,
    Season,
    SeasonClass,
    Series,
    Session,
)
from .report import ImportReport, RowError
from .season_format import SESSION_NAMES, Plan, TomlLines
from .values import did_you_mean
from .writing import note_change, upsert

_MAX_SUGGESTIONS = (
    30  # near-match searches per file: enough for an editor, bounded for a hostile file
)


def write_season(
    plan: dict[str, Any], lines: TomlLines, report: ImportReport, errors: list[RowError]
) -> Season | None:
    """Checks every reference of the plan against the database (all errors in one pass), then
    writes circuits, events, the season, its rules, classes, rounds and sessions."""
    check = _SeasonReferences(plan, lines, errors)
    series = check.series()
    car_generation = check.car_generation()
    file_circuits, db_circuits = check.circuits()
    file_events, db_events = check.events(file_circuits, db_circuits)
    if errors or series is None:
        return None
    events = _write_circuits_and_events(file_circuits, db_circuits, file_events, db_events, report)
    season = _write_season_row(plan, series, car_generation, report)
    _write_classes(plan, season, lines, report, errors)
    _write_rounds(plan, series, season, events, report)
    return season


class _SeasonReferences:
    """The checks of a season file's references (series, car, circuits, events, rounds) against
    the database; every fault is added to `errors`, with a bounded number of near-match hints."""

    def __init__(self, plan: dict[str, Any], lines: TomlLines, errors: list[RowError]):
        self.plan = plan
        self.lines = lines
        self.errors = errors
        self._suggestions = iter(range(_MAX_SUGGESTIONS))

    def suggest(self, value: str, choices: Callable[[], dict[str, str]]) -> str:
        return did_you_mean(value, choices()) if next(self._suggestions, None) is not None else ""

    def series(self) -> Series | None:
        plan, lines, errors, suggest = self.plan, self.lines, self.errors, self.suggest
        series = Series.objects.filter(slug=plan["series"]).first()
        if series is None and plan["series"]:
            hint = suggest(
                plan["series"],
                lambda: {
                    key: s.slug
                    for s in Series.objects.all()
                    for key in (s.slug, s.name.lower(), s.short_name.lower())
                },
            )
            errors.append(
                RowError(
                    lines.top("series"),
                    f"series: unknown series {plan['series']!r}{hint} A season file does not "
                    "create its series: add it first (Series › Add in the admin, or a row in "
                    "series/data/series.csv and `manage.py load_pyramid`), then import again.",
                )
            )
        return series

    def car_generation(self) -> CarGeneration | None:
        plan, lines, errors = self.plan, self.lines, self.errors
        car_generation = None
        if plan["car_generation"]:
            car_generation = CarGeneration.objects.filter(
                models.Q(slug=plan["car_generation"]) | models.Q(generation=plan["car_generation"])
            ).first()
            if car_generation is None:
                errors.append(
                    RowError(
                        lines.top("car_generation"),
                        f"car_generation: unknown car generation {plan['car_generation']!r}",
                    )
                )
        return car_generation

    def circuits(self) -> tuple[dict[str, dict[str, Any]], dict[str, Circuit]]:
        """The file's circuits (by slug) and those of the database its circuits and events name."""
        plan, errors = self.plan, self.errors
        # Circuits: the file's, over those in the database.
        file_circuits = {c["values"]["slug"]: c for c in plan["circuits"]}
        db_circuits = {
            c.slug: c
            for c in Circuit.objects.filter(
                slug__in=[*file_circuits, *(e["values"].get("circuit", "") for e in plan["events"])]
            )
        }
        names: dict[str, str] = {}
        for slug, circuit_plan in file_circuits.items():
            values, line_of = circuit_plan["values"], circuit_plan["lines"]
            if slug not in db_circuits:
                for key in ("name", "time_zone"):
                    if key not in values:
                        errors.append(
                            RowError(
                                circuit_plan["line"],
                                f"circuit {slug}: missing key {key!r} (required for a new circuit)",
                            )
                        )
            if "name" in values:
                name = values["name"]
                clash = Circuit.objects.filter(name=name).exclude(slug=slug).first()
                if clash is not None or name in names:
                    other = clash.slug if clash is not None else names[name]
                    errors.append(
                        RowError(
                            line_of("name"),
                            f"circuit {slug}.name: {name!r} is already the name of circuit {other}",
                        )
                    )
                names[name] = slug
        return file_circuits, db_circuits

    def events(
        self, file_circuits: dict[str, dict[str, Any]], db_circuits: dict[str, Circuit]
    ) -> tuple[dict[str, dict[str, Any]], dict[str, Event]]:
        """The file's events and the database's ones it names; the rounds are checked against
        the events' merged facts (circuit and dates)."""
        plan, errors, suggest = self.plan, self.errors, self.suggest

        def circuit_known(slug: str) -> bool:
            return slug in file_circuits or slug in db_circuits

        def circuit_choices() -> dict[str, str]:
            choices = {c.slug: c.slug for c in Circuit.objects.only("slug", "name")}
            choices.update({c.name.lower(): c.slug for c in Circuit.objects.only("slug", "name")})
            choices.update({slug: slug for slug in file_circuits})
            return choices

        # Events: the file's, over those in the database; facts[slug] is what the rounds check.
        file_events = {e["values"]["slug"]: e for e in plan["events"]}
        db_events = {
            e.slug: e
            for e in Event.objects.select_related("circuit").filter(
                slug__in=[*file_events, *(r["event"] for r in plan["rounds"])]
            )
        }
        facts: dict[str, Plan] = {
            slug: {
                "circuit": event.circuit.slug,
                "start_date": event.start_date,
                "end_date": event.end_date,
            }
            for slug, event in db_events.items()
        }
        for slug, event_plan in file_events.items():
            values, line_of = event_plan["values"], event_plan["lines"]
            merged = {**facts.get(slug, {}), **values}
            if slug not in db_events:
                for key in ("name", "circuit", "start_date", "end_date"):
                    if key not in values:
                        errors.append(
                            RowError(
                                event_plan["line"],
                                f"event {slug}: missing key {key!r} (required for a new event)",
                            )
                        )
            circuit = values.get("circuit")
            if circuit is not None and not circuit_known(circuit):
                errors.append(
                    RowError(
                        line_of("circuit"),
                        f"event {slug}.circuit: unknown circuit {circuit!r}"
                        f"{suggest(circuit, circuit_choices)} (define it in a [[circuits]] table "
                        "or add it in the admin)",
                    )
                )
            if (
                "start_date" in merged
                and "end_date" in merged
                and merged["end_date"] < merged["start_date"]
            ):
                errors.append(
                    RowError(
                        line_of("end_date"),
                        f"event {slug}: it would end ({merged['end_date']}) before it starts "
                        f"({merged['start_date']})",
                    )
                )
            facts[slug] = merged

        def event_choices() -> dict[str, str]:
            choices = {slug: slug for slug in Event.objects.values_list("slug", flat=True)}
            choices.update({slug: slug for slug in file_events})
            return choices

        self.rounds(facts, file_events)
        return file_events, db_events

    def rounds(self, facts: dict[str, dict[str, Any]], file_events: dict[str, Any]) -> None:
        plan, errors, suggest = self.plan, self.errors, self.suggest

        def event_choices() -> dict[str, str]:
            choices = {slug: slug for slug in Event.objects.values_list("slug", flat=True)}
            choices.update({slug: slug for slug in file_events})
            return choices

        for round_plan in plan["rounds"]:
            label = f"round {round_plan['number']}"
            event = facts.get(round_plan["event"])
            if event is None:
                errors.append(
                    RowError(
                        round_plan["line"],
                        f"{label}.event: unknown event {round_plan['event']!r}"
                        f"{suggest(round_plan['event'], event_choices)} (define it in an "
                        "[[events]] table of this file, or add it in the admin)",
                    )
                )
                continue
            if "start_date" not in event or "end_date" not in event or "circuit" not in event:
                continue  # a new event missing its dates or circuit: already reported
            if round_plan["circuit"] and round_plan["circuit"] != event["circuit"]:
                errors.append(
                    RowError(
                        round_plan["line"],
                        f"{label}.circuit: event {round_plan['event']} is at {event['circuit']}, "
                        f"not {round_plan['circuit']!r}",
                    )
                )
            if not event["start_date"] <= round_plan["date"] <= event["end_date"]:
                errors.append(
                    RowError(
                        round_plan["line"],
                        f"{label}.date: {round_plan['date']} is outside event "
                        f"{round_plan['event']} ({event['start_date']} to {event['end_date']})",
                    )
                )
            for session in round_plan["sessions"]:
                if (
                    session["date"]
                    and not event["start_date"] <= session["date"] <= event["end_date"]
                ):
                    errors.append(
                        RowError(
                            round_plan["line"],
                            f"{label}.sessions.date: {session['date']} is outside event "
                            f"{round_plan['event']}",
                        )
                    )


def _write_circuits_and_events(
    file_circuits: dict[str, dict[str, Any]],
    db_circuits: dict[str, Circuit],
    file_events: dict[str, dict[str, Any]],
    db_events: dict[str, Event],
    report: ImportReport,
) -> dict[str, Event]:
    """Writes the file's circuits and events; every event the rounds may name, by slug."""
    circuits = dict(db_circuits)
    for slug, circuit_plan in file_circuits.items():
        values = {key: value for key, value in circuit_plan["values"].items() if key != "slug"}
        circuit, state, changed = upsert(
            Circuit, {"slug": slug}, values, existing=db_circuits.get(slug)
        )
        circuits[slug] = circuit
        note_change(report, "circuits", state, f"Circuit {slug}", changed)
    events = dict(db_events)
    for slug, event_plan in file_events.items():
        values = {key: value for key, value in event_plan["values"].items() if key != "slug"}
        if "circuit" in values:
            values["circuit"] = circuits.get(values["circuit"]) or Circuit.objects.get(
                slug=values["circuit"]
            )
        event, state, changed = upsert(Event, {"slug": slug}, values, existing=db_events.get(slug))
        events[slug] = event
        note_change(report, "events", state, f"Event {slug}", changed)
    return events


def _write_season_row(
    plan: dict[str, Any],
    series: Series,
    car_generation: CarGeneration | None,
    report: ImportReport,
) -> Season:
    values = {
        "name": plan["name"],
        "car": plan["car"],
        "car_generation": car_generation,
        "results_partial": plan["results_partial"],
        "results_note": plan["results_note"],
        "description": plan["description"],
        "notes": plan["notes"],
        "source": plan["source"],
    }
    if not plan["car"] and not plan["car_generation"]:
        # A file that names no car leaves the season's car as it is (load_pyramid's season_cars
        # step or an editor may have set it from the series' facts).
        del values["car"], values["car_generation"]
    season, state, changed = upsert(Season, {"series": series, "year": plan["year"]}, values)
    note_change(report, "seasons", state, f"Season {season}", changed)

    return season


def _write_classes(
    plan: dict[str, Any],
    season: Season,
    lines: TomlLines,
    report: ImportReport,
    errors: list[RowError],
) -> None:
    """Writes the season's scoring rules and classes; a class no longer listed is removed unless
    entries use it (an error)."""
    scoring = {key: value for key, value in plan["scoring"].items() if key != "class_rules"}
    _, state, changed = upsert(ScoringRules, {"season": season}, scoring)
    note_change(report, "scoring rules", state, "Scoring rules", changed)

    wanted_classes = {slugify(name): name for name in plan["classes"]}
    for order, (slug, name) in enumerate(wanted_classes.items(), start=1):
        overrides = plan["scoring"]["class_rules"].get(slug, {})
        _, state, changed = upsert(
            SeasonClass,
            {"season": season, "slug": slug},
            {
                "name": name,
                "order": order,
                "drop_worst": overrides.get("drop_worst"),
                "undroppable_last": overrides.get("undroppable_last"),
            },
        )
        note_change(report, "classes", state, f"Class {name}", changed)
    for season_class in season.classes.exclude(slug__in=wanted_classes):
        if season_class.entries.exists():
            errors.append(
                RowError(
                    lines.top("classes"),
                    f"classes: {season_class.name} is no longer listed but entries use it; "
                    "move those entries to another class first",
                )
            )
            continue
        season_class.delete()
        report.count("deleted", "classes")
        report.changes.append(f"Class {season_class.name} removed")


def _write_rounds(
    plan: dict[str, Any],
    series: Series,
    season: Season,
    events: dict[str, Event],
    report: ImportReport,
) -> None:
    """Writes the rounds and their sessions; a round no longer listed is removed."""
    rounds = {r.number: r for r in season.rounds.all()}
    # One query for every round's sessions rather than one per round.
    sessions_by_round: dict[int, dict[str, Session]] = defaultdict(dict)
    for session in Session.objects.filter(round__season=season, round__isnull=False):
        assert session.round_id is not None
        sessions_by_round[session.round_id][session.kind] = session
    for round_plan in plan["rounds"]:
        event = events[round_plan["event"]]
        round_obj, state, changed = upsert(
            Round,
            {"season": season, "number": round_plan["number"]},
            {
                "event": event,
                "name": round_plan["name"],
                "date": round_plan["date"],
                "date_precision": round_plan["date_precision"],
                "multiplier": round_plan["multiplier"],
                "description": round_plan["description"],
                "notes": round_plan["notes"],
            },
            existing=rounds.get(round_plan["number"]),
        )
        note_change(
            report,
            "rounds",
            state,
            f"Round {round_obj.number} ({event.slug}, {round_obj.date})",
            changed,
        )
        _write_sessions(
            series, round_obj, round_plan["sessions"], report, sessions_by_round[round_obj.pk]
        )
    wanted_numbers = {r["number"] for r in plan["rounds"]}
    for number, round_obj in sorted(rounds.items()):
        if number not in wanted_numbers:
            results = Result.objects.filter(session__round=round_obj).count()
            round_obj.delete()
            report.count("deleted", "rounds")
            report.changes.append(
                f"Round {number} removed (with its sessions and {results} results)"
            )


def _write_sessions(
    series: Series,
    round_obj: Round,
    sessions: list[Plan],
    report: ImportReport,
    existing: dict[str, Session] | None = None,
) -> None:
    if existing is None:
        existing = {s.kind: s for s in round_obj.sessions.all()}
    for session_plan in sessions:
        kind = session_plan["kind"]
        day: dt.date = session_plan["date"] or round_obj.date
        values: dict[str, Any] = {
            "event": round_obj.event,
            "slug": f"{series.slug}-r{round_obj.number}-{kind}",
            "name": session_plan["name"] or f"{SESSION_NAMES[kind]} {round_obj.number}",
            "date": day,
        }
        # A start time or duration an editor entered is kept when the file does not give one.
        if session_plan["starts_at"] is not None:
            values["starts_at"] = session_plan["starts_at"]
        elif session_plan["local_time"] is not None:
            # As printed on the timetable: the circuit's wall clock on the session's day (the
            # zone's offset that day, summer time included), stored in UTC.
            local = dt.datetime.combine(
                day, session_plan["local_time"], tzinfo=round_obj.event.circuit.tz
            )
            values["starts_at"] = local.astimezone(dt.UTC)
        if session_plan["duration_minutes"] is not None:
            values["duration_minutes"] = session_plan["duration_minutes"]
        session, state, changed = upsert(
            Session, {"round": round_obj, "kind": kind}, values, existing=existing.get(kind)
        )
        note_change(report, "sessions", state, f"Session {session.slug}", changed)
    wanted = {s["kind"] for s in sessions}
    for kind, session in existing.items():
        if kind not in wanted and session.slug == f"{series.slug}-r{round_obj.number}-{kind}":
            results = session.results.count()
            session.delete()
            report.count("deleted", "sessions")
            report.changes.append(f"Session {session.slug} removed (with {results} results)")
