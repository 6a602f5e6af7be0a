"""Reading and checking a season file (TOML) into a plan: keys, types, circuits, events, scoring
rules, rounds and sessions, every fault reported with its line. Reads the text only: the
database is checked (and written) by season_writer.py."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import slugify

from ..models import (
    ClassScoring,
    DatePrecision,
    EventKind,
    GuestRule,
    SessionKind,
)
from ..models.season import COUNTBACK_KINDS, FIRST_SEASON_YEAR, LAST_SEASON_YEAR
from .report import RowError
from .season_format import (
    CIRCUIT_SPEC,
    CLASS_RULE_KEYS,
    EVENT_SPEC,
    MAX_TEXT_CHARS,
    ROUND_KEYS,
    SCORING_KEYS,
    SEASON_KEYS,
    SESSION_KEYS,
    SLUG,
    Fail,
    LineOf,
    Plan,
    TomlLines,
    check_fields,
    check_length,
    check_table_list,
    check_type,
    fail_at,
)


def check_season(data: dict[str, Any], lines: TomlLines, errors: list[RowError]) -> Plan:
    """Checks keys and value types; returns the plan with defaults filled in."""

    def fail(line: int, message: str) -> None:
        errors.append(RowError(line, message))

    for key in sorted(set(data) - SEASON_KEYS):
        fail(lines.top(key), f"unknown key {key!r} (allowed: {', '.join(sorted(SEASON_KEYS))})")
    for key in ("series", "year"):
        if key not in data:
            fail(1, f"missing key {key!r}")
    plan: Plan = {
        "series": data.get("series", ""),
        "year": data.get("year", 0),
        "name": data.get("name", ""),
        "car": data.get("car", ""),
        "car_generation": data.get("car_generation", ""),
        "classes": data.get("classes", []),
        "results_partial": data.get("results_partial", False),
        "results_note": data.get("results_note", ""),
        "notes": data.get("notes", ""),
        "source": data.get("source", ""),
        "description": data.get("description", ""),
    }
    messages: list[str] = []
    for key, kind in (
        ("series", str),
        ("year", int),
        ("name", str),
        ("car", str),
        ("car_generation", str),
        ("classes", list),
        ("results_partial", bool),
        ("results_note", str),
        ("notes", str),
        ("source", str),
        ("description", str),
    ):
        if key in data and not check_type(data[key], kind, key, messages):
            fail(lines.top(key), messages.pop())
            plan[key] = "" if kind is str else plan[key]
    if isinstance(plan["year"], int) and not FIRST_SEASON_YEAR <= plan["year"] <= LAST_SEASON_YEAR:
        fail(
            lines.top("year"),
            f"year must be between {FIRST_SEASON_YEAR} and {LAST_SEASON_YEAR}, got {plan['year']}",
        )
    if isinstance(plan["classes"], list):
        slugs: dict[str, str] = {}
        for name in plan["classes"]:
            if not isinstance(name, str) or not slugify(name):
                fail(lines.top("classes"), f"classes: {name!r} is not a class name")
            elif slugify(name) in slugs:
                fail(lines.top("classes"), f"classes: {name!r} is given twice")
            else:
                slugs[slugify(name)] = name
        plan["classes"] = list(slugs.values())
    else:
        plan["classes"] = []
    for key, limit in (("name", 160), ("car", 120), ("car_generation", 40), ("series", 80)):
        check_length(plan, key, limit, key, fail_at(fail, lines.top(key)))
    for key in ("results_note", "notes", "source", "description"):
        check_length(plan, key, MAX_TEXT_CHARS, key, fail_at(fail, lines.top(key)))
    plan["scoring"] = _check_scoring(data.get("scoring"), plan["classes"], lines, fail)
    plan["circuits"] = _check_circuits(data.get("circuits", []), lines, fail)
    plan["events"] = _check_events(data.get("events", []), lines, fail)
    plan["rounds"] = _check_rounds(data.get("rounds", []), lines, fail)
    return plan


def _check_slugged_tables(
    tables: object,
    kind: str,
    spec: dict[str, tuple[type, int | None]],
    starts: list[int],
    lines: TomlLines,
    fail: Fail,
) -> Iterator[tuple[int, Callable[[str], int], dict[str, Any], str]]:
    """The [[circuits]] or [[events]] tables of a file, each checked against its spec and keyed by
    a well-formed slug defined once: yields (first line, line_of, values, label)."""
    checked = check_table_list(tables, f"{kind}s", lines, fail)
    if checked is None:
        return
    seen: dict[str, int] = {}
    for index, table in enumerate(checked):
        start, end = lines.span(starts, index)

        def line_of(key: str, start: int = start, end: int | None = end) -> int:
            return lines.of(key, start, end)

        label = f"{kind}s[{index + 1}]"
        if not isinstance(table, dict):
            fail(start, f"{label} must be a table")
            continue
        values = check_fields(table, label, spec, line_of, fail, required=("slug",))
        slug = values.get("slug")
        if slug is None:
            continue
        label = f"{kind} {slug}"
        if not SLUG.match(slug):
            fail(line_of("slug"), f"{label}: a slug is lower-case letters, digits and hyphens")
            continue
        if slug in seen:
            fail(start, f"{label} is defined twice (also line {seen[slug]})")
            continue
        seen[slug] = start
        yield start, line_of, values, label


def _check_circuits(circuits: object, lines: TomlLines, fail: Fail) -> list[Plan]:
    plans: list[Plan] = []
    for start, line_of, values, label in _check_slugged_tables(
        circuits, "circuit", CIRCUIT_SPEC, lines.circuit_starts, lines, fail
    ):
        if "time_zone" in values:
            try:
                zoneinfo.ZoneInfo(values["time_zone"])
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                fail(
                    line_of("time_zone"),
                    f"{label}.time_zone: {values['time_zone']!r} is not an IANA time zone "
                    "(for example America/New_York)",
                )
                del values["time_zone"]
        plans.append({"line": start, "values": values, "lines": line_of})
    return plans


def _check_events(events: object, lines: TomlLines, fail: Fail) -> list[Plan]:
    plans: list[Plan] = []
    for start, line_of, values, label in _check_slugged_tables(
        events, "event", EVENT_SPEC, lines.event_starts, lines, fail
    ):
        for key, choices in (("kind", EventKind), ("date_precision", DatePrecision)):
            if key in values and values[key] not in choices.values:
                fail(
                    line_of(key),
                    f"{label}.{key} must be one of {', '.join(choices.values)}, "
                    f"got {values[key]!r}",
                )
                del values[key]
        if (
            "start_date" in values
            and "end_date" in values
            and values["end_date"] < values["start_date"]
        ):
            fail(line_of("end_date"), f"{label}: end_date is before start_date")
            del values["end_date"]
        plans.append({"line": start, "values": values, "lines": line_of})
    return plans


def _check_scoring(scoring: object, classes: list[str], lines: TomlLines, fail: Fail) -> Plan:
    start = lines.scoring_start or 1
    if scoring is None:
        fail(1, "missing table [scoring] (at least `race`, the points scale)")
        return {}
    if not isinstance(scoring, dict):
        fail(lines.top("scoring"), "scoring must be a table")
        return {}
    for key in sorted(set(scoring) - SCORING_KEYS):
        fail(
            lines.of(key, start),
            f"unknown key 'scoring.{key}' (allowed: {', '.join(sorted(SCORING_KEYS))})",
        )
    if "race" not in scoring:
        fail(start, "missing key 'scoring.race' (the points scale, 1st first)")
    rules = {
        "race_points": scoring.get("race", []),
        "sprint_points": scoring.get("sprint", []),
        "pole_points": scoring.get("pole", 0),
        "fastest_lap_points": scoring.get("fastest_lap", 0),
        "fastest_lap_top": scoring.get("fastest_lap_top", 0),
        "guests": scoring.get("guests", GuestRule.PASS_DOWN),
        "drop_worst": scoring.get("drop_worst", 0),
        "undroppable_last": scoring.get("undroppable_last", 0),
        "team_cars": scoring.get("team_cars", 0),
        "class_scoring": scoring.get("class_scoring", ClassScoring.CLASS_POSITION),
        "countback_kinds": scoring.get("countback_kinds", []),
        "notes": scoring.get("notes", ""),
    }
    countback_kinds = rules["countback_kinds"]
    if (
        not isinstance(countback_kinds, list)
        or not all(kind in COUNTBACK_KINDS for kind in countback_kinds)
        or len(set(countback_kinds)) != len(countback_kinds)
    ):
        fail(
            lines.of("countback_kinds", start),
            "scoring.countback_kinds must be a list of distinct session kinds "
            f"({', '.join(COUNTBACK_KINDS)}) whose places count as wins and in the countback, "
            f'e.g. ["race"]; empty for every kind; got {countback_kinds!r}',
        )
    for key in ("race", "sprint"):
        scale = scoring.get(key, [])
        if not isinstance(scale, list) or not all(
            isinstance(points, int) and not isinstance(points, bool) and points >= 0
            for points in scale
        ):
            fail(
                lines.of(key, start),
                f"scoring.{key} must be a list of whole numbers of zero or more, 1st first; "
                f"got {scale!r}",
            )
    for key in (
        "pole",
        "fastest_lap",
        "fastest_lap_top",
        "drop_worst",
        "undroppable_last",
        "team_cars",
    ):
        value = scoring.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 32767:
            fail(lines.of(key, start), f"scoring.{key} must be a whole number ≥ 0, got {value!r}")
    for key, choices in (("guests", GuestRule), ("class_scoring", ClassScoring)):
        value = scoring.get(key, choices.values[0])
        if value not in choices.values:
            fail(
                lines.of(key, start),
                f"scoring.{key} must be one of {', '.join(choices.values)}, got {value!r}",
            )
    if not isinstance(rules["notes"], str):
        fail(lines.of("notes", start), "scoring.notes must be a string")
    class_rules: dict[str, Plan] = {}
    overrides = scoring.get("class", {})
    if not isinstance(overrides, dict):
        fail(start, "scoring.class must be a table of [scoring.class.<class-slug>] tables")
        overrides = {}
    known = {slugify(name) for name in classes if isinstance(name, str)}
    for slug, override in overrides.items():
        header = next(
            (
                n
                for n, line in enumerate(lines.lines, start=1)
                if line.strip() == f"[scoring.class.{slug}]"
            ),
            start,
        )
        if slug not in known:
            fail(header, f"scoring.class.{slug}: no class with slug {slug!r} in `classes`")
            continue
        if not isinstance(override, dict):
            fail(header, f"scoring.class.{slug} must be a table")
            continue
        for key in sorted(set(override) - CLASS_RULE_KEYS):
            fail(lines.of(key, header), f"unknown key 'scoring.class.{slug}.{key}'")
        for key in CLASS_RULE_KEYS & set(override):
            value = override[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                fail(
                    lines.of(key, header),
                    f"scoring.class.{slug}.{key} must be a whole number ≥ 0, got {value!r}",
                )
        class_rules[slug] = {key: override.get(key) for key in CLASS_RULE_KEYS}
    rules["class_rules"] = class_rules
    return rules


def _check_rounds(rounds: object, lines: TomlLines, fail: Fail) -> list[Plan]:
    rounds = check_table_list(rounds, "rounds", lines, fail)
    if rounds is None:
        return []
    plans: list[Plan] = []
    seen: dict[int, int] = {}
    for index, round_data in enumerate(rounds):
        start, end = lines.round_span(index)

        def line_of(key: str, start: int = start, end: int | None = end) -> int:
            return lines.of(key, start, end)

        label = f"rounds[{index + 1}]"
        if not isinstance(round_data, dict):
            fail(start, f"{label} must be a table")
            continue
        for key in sorted(set(round_data) - ROUND_KEYS):
            fail(
                line_of(key),
                f"unknown key '{label}.{key}' (allowed: {', '.join(sorted(ROUND_KEYS))})",
            )
        for key in ("number", "date", "event"):
            if key not in round_data:
                fail(start, f"{label}: missing key {key!r}")
        number = round_data.get("number")
        if "number" in round_data:
            if isinstance(number, bool) or not isinstance(number, int) or number < 1:
                fail(line_of("number"), f"{label}.number must be a whole number ≥ 1")
            elif number in seen:
                fail(line_of("number"), f"round {number} is given twice (also line {seen[number]})")
            else:
                seen[number] = line_of("number")
            label = f"round {number}"
        date = round_data.get("date")
        if "date" in round_data and (
            not isinstance(date, dt.date) or isinstance(date, dt.datetime)
        ):
            fail(line_of("date"), f"{label}.date must be a date like 2023-05-28, got {date!r}")
        texts = {}
        for key, limit in (
            ("event", 100),
            ("circuit", 80),
            ("name", 120),
            ("description", MAX_TEXT_CHARS),
            ("notes", MAX_TEXT_CHARS),
        ):
            if key in round_data and not isinstance(round_data[key], str):
                fail(line_of(key), f"{label}.{key} must be a string")
            else:
                texts[key] = round_data.get(key, "")
                check_length(
                    texts,
                    key,
                    limit,
                    f"{label}.{key}",
                    fail_at(fail, line_of(key)),
                )
        precision = round_data.get("date_precision", DatePrecision.DAY)
        if precision not in DatePrecision.values:
            fail(
                line_of("date_precision"),
                f"{label}.date_precision must be one of {', '.join(DatePrecision.values)}, "
                f"got {precision!r}",
            )
            precision = DatePrecision.DAY
        multiplier = round_data.get("multiplier", 1)
        try:
            multiplier = Decimal(str(multiplier))
            if isinstance(round_data.get("multiplier"), bool) or not (0 <= multiplier < 100):
                raise InvalidOperation
        except InvalidOperation:
            fail(
                line_of("multiplier"),
                f"{label}.multiplier must be a number ≥ 0 (1, 0.5, 2), "
                f"got {round_data.get('multiplier')!r}",
            )
            multiplier = Decimal("1")
        sessions = _check_sessions(round_data.get("sessions", ["race"]), label, line_of, fail)
        for session in sessions:
            if (
                session["local_time"] is not None
                and session["date"] is None
                and precision != DatePrecision.DAY
            ):
                fail(
                    line_of("sessions"),
                    f"{label}.sessions: a local start time needs its day: give the session's "
                    '`date`, or the round\'s date with date_precision = "day"',
                )
        plans.append(
            {
                "line": start,
                "number": number,
                "date": date,
                "date_precision": precision,
                "event": texts.get("event", ""),
                "circuit": texts.get("circuit", ""),
                "name": texts.get("name", ""),
                "description": texts.get("description", ""),
                "notes": texts.get("notes", ""),
                "multiplier": multiplier,
                "sessions": sessions,
            }
        )
    return plans


_LOCAL_TIME = re.compile(r"^\d{1,2}:\d{2}$")


def _check_sessions(sessions: object, label: str, line_of: LineOf, fail: Fail) -> list[Plan]:
    if not isinstance(sessions, list) or not sessions:
        fail(line_of("sessions"), f"{label}.sessions must be a non-empty list of session kinds")
        return []
    plans: list[Plan] = []
    kinds_seen: set[str] = set()
    for item in sessions:
        session = {"kind": item} if isinstance(item, str) else item
        if not isinstance(session, dict):
            fail(line_of("sessions"), f"{label}.sessions: {item!r} is not a kind or a table")
            continue
        for key in sorted(set(session) - SESSION_KEYS):
            fail(line_of("sessions"), f"unknown key '{label}.sessions.{key}'")
        kind = session.get("kind")
        if kind not in SessionKind.values:
            fail(
                line_of("sessions"),
                f"{label}.sessions: unknown kind {kind!r} (use {', '.join(SessionKind.values)})",
            )
            continue
        if kind in kinds_seen:
            fail(line_of("sessions"), f"{label}.sessions: {kind} is given twice")
            continue
        kinds_seen.add(kind)
        starts_at = session.get("starts_at")
        local_time = None
        if isinstance(starts_at, str) and _LOCAL_TIME.match(starts_at.strip()):
            hours, minutes = map(int, starts_at.strip().split(":"))
            if hours < 24 and minutes < 60:
                local_time = dt.time(hours, minutes)
            starts_at = None
        elif isinstance(starts_at, dt.time):
            local_time, starts_at = starts_at.replace(tzinfo=None), None
        if starts_at is None and local_time is None and "starts_at" in session:
            starts_at = session["starts_at"]
        if starts_at is not None and (
            not isinstance(starts_at, dt.datetime) or starts_at.tzinfo is None
        ):
            # A date and time without an offset is ambiguous across the circuit's zone and UTC;
            # a bare time ("14:05") is the circuit's own, on the session's day.
            fail(
                line_of("sessions"),
                f'{label}.sessions.starts_at must be a local time at the circuit like "14:05", '
                f"or a time with its offset like 2023-03-16T14:05:00-04:00; got {starts_at!r}",
            )
            starts_at = None
        session_date = session.get("date")
        if session_date is not None and (
            not isinstance(session_date, dt.date) or isinstance(session_date, dt.datetime)
        ):
            fail(line_of("sessions"), f"{label}.sessions.date must be a date like 2023-05-28")
            session_date = None
        if not isinstance(session.get("name", ""), str):
            fail(line_of("sessions"), f"{label}.sessions.name must be a string")
            session = {**session, "name": ""}
        elif len(session.get("name", "")) > 120:
            fail(line_of("sessions"), f"{label}.sessions.name is longer than 120 characters")
            session = {**session, "name": ""}
        duration = session.get("duration_minutes")
        if duration is not None and (
            isinstance(duration, bool) or not isinstance(duration, int) or duration < 1
        ):
            fail(line_of("sessions"), f"{label}.sessions.duration_minutes must be minutes ≥ 1")
            duration = None
        plans.append(
            {
                "kind": kind,
                "starts_at": starts_at.astimezone(dt.UTC) if starts_at else None,
                "local_time": local_time,
                "duration_minutes": duration,
                "name": str(session.get("name", "")),
                "date": session_date,
            }
        )
    return plans
