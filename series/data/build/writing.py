"""Writing the season files, results files and published rows from the season specs: TOML and
CSV text, one season at a time (build_season), then published_standings.csv and drivers.csv."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
from pathlib import Path

from .spec import (
    HERE,
    NEW_CIRCUITS,
    ORIGINAL_NAMES,
    SAME_PERSON,
    SEASONS,
    SERIES_SLUG,
    SHORT,
    Race,
    SeasonSpec,
    Weekend,
)

# --- writing -------------------------------------------------------------------------------------


def toml_string(value: str) -> str:
    # JSON's escapes (\", \\, \n, \uXXXX) are TOML's basic-string escapes too.
    return json.dumps(value, ensure_ascii=False)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, dt.date):
        return value.isoformat()
    return toml_string(str(value))


def table(header: str, values: dict) -> str:
    lines = [header] if header else []
    lines += [f"{key} = {toml_value(value)}" for key, value in values.items() if value != ""]
    return "\n".join(lines)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def dates(weekend: Weekend) -> tuple[dt.date, dt.date, str]:
    if len(weekend.start) == 7:  # "2024-05": only the month is known
        year, month = map(int, weekend.start.split("-"))
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, 1), dt.date(year, month, last), "month"
    return dt.date.fromisoformat(weekend.start), dt.date.fromisoformat(weekend.end), "day"


def cell(raw: str) -> tuple[str, str] | None:
    """A published table's cell -> (position, status) in import_results terms; None if empty."""
    value = raw.strip()
    if not value:
        return None
    if value.rstrip("†").isdigit():
        return value, ""
    return "", value


def rows_of(spec: SeasonSpec, weekend: Weekend, calendar_rows: list[dict]) -> list[dict]:
    indexes = weekend.row if isinstance(weekend.row, list) else [weekend.row]
    return [calendar_rows[i] for i in indexes]


def private_text(rows: list[dict], *keys: str) -> str:
    parts: list[str] = []
    for row in rows:
        for key in keys:
            value = (row.get(key) or "").strip()
            label = {"winner_source": "Winner source", "source": "Source"}.get(key)
            text = f"{label}: {value}" if label and value else value
            if text and text not in parts:
                parts.append(text)
    return " | ".join(parts)


def supports_of(rows: list[dict]) -> str:
    row = rows[0]
    if "supports" in row:
        return row["supports"]
    name = row.get("event_name", "")
    if name.startswith("support: "):
        return name.removeprefix("support: ").split(";")[0]
    if name.startswith("F1"):
        return name.split(" (")[0]
    return ""


def read_table(
    path: Path, series: str, year: int, guest_rows: dict[str, list[int]]
) -> tuple[list[dict], list[dict]]:
    """A published table's rows (partial-seasons/<season>/standings.csv) -> the import_results
    rows of its cells, and its published points and positions. An empty cell is not a result.
    Two rows giving the same position in one race (a misread cell) are both left out: which one
    is wrong is not known; the rows' notes say so.
    A driver who was a guest in some races only (guest_rows) is entered as the guest he was in
    those races, with those results only: the site holds one entry per driver and season."""
    cells: list[dict] = []
    published: list[dict] = []
    for row in csv.DictReader(path.open(encoding="utf-8")):
        guest_races = guest_rows.get(row["driver"])
        row["driver"] = SAME_PERSON.get(row["driver"], row["driver"])
        published.append(
            {
                "series": series,
                "year": year,
                "driver": row["driver"],
                "published_position": row["published_position"],
                "published_points": row["published_points"],
                "row_complete": "yes"
                if row["row_status"] == "complete" and not guest_races
                else "no",
                "source": row["source"],
                "notes": row["notes"],
            }
        )
        team = row["team"].split(" (")[0]
        number = "41" if guest_races else row["number"]
        for key, raw in row.items():
            if not (key and key[0] == "R" and key[1:].isdigit()):
                continue
            race = int(key[1:])
            if guest_races is not None and race not in guest_races:
                continue
            parsed = cell(raw)
            if parsed is None:
                continue
            cells.append(
                {
                    "race": race,
                    "position": parsed[0],
                    "status": parsed[1],
                    "driver": row["driver"],
                    "nationality": row["nationality"],
                    "team": team,
                    "number": number,
                    "class": row["class"],
                    "guest": "yes" if guest_races else (row["guest"] or ""),
                    "rookie": row["rookie"],
                }
            )
    seen: dict[tuple[int, str], int] = {}
    for item in cells:
        if item["position"]:
            key = (item["race"], item["position"].rstrip("†"))
            seen[key] = seen.get(key, 0) + 1
    clashes = {key for key, n in seen.items() if n > 1}
    for item in cells:
        key = (item["race"], item["position"].rstrip("†"))
        if key in clashes:
            for row in published:
                if row["driver"] == item["driver"]:
                    row["notes"] = (
                        f"{row['notes']} | CONFLICT: race {key[0]} cell {item['position']} is also "
                        "another row's position (a misread cell): not entered"
                    ).lstrip(" |")
                    row["row_complete"] = "no"
    return [
        item for item in cells if (item["race"], item["position"].rstrip("†")) not in clashes
    ], published


def results_csv(results: list[dict]) -> str:
    columns = ["round", "position", "status", "number", "driver", "nationality", "team"]
    columns += ["class", "guest", "rookie"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n", restval="")
    writer.writeheader()
    for row in sorted(
        results,
        key=lambda r: (r["round"], not r["position"], int(r["position"].rstrip("†") or 999)),
    ):
        writer.writerow(row)
    return buffer.getvalue()


def build(facts: Path) -> None:
    published: list[dict] = []
    for spec in SEASONS:
        published.extend(build_season(facts, spec))
    # The two seasons shipped before this script (supercup-2022/2023, hand-made files) keep their
    # own results files; their published rows are recorded here too.
    for folder, year in (("supercup-2022", 2022), ("supercup-2023", 2023)):
        path = facts / "partial-seasons" / folder / "standings.csv"
        published.extend(read_table(path, "supercup", year, {})[1])
    write_published(published)
    write_drivers()


def build_season(facts: Path, spec: SeasonSpec) -> list[dict]:
    """Writes one season's TOML file and results CSV; its published standings rows."""
    series = SERIES_SLUG.get(spec.series, spec.series)
    calendar_rows = list(csv.DictReader((facts / spec.calendar).open(encoding="utf-8")))
    parts = [
        f"# {spec.name}: built by series/data/build_seasons.py from {spec.calendar}"
        + (f" and partial-seasons/{spec.standings}/" if spec.standings else "")
        + ".\n# Edit the script (or this file by hand, then stop regenerating it)."
    ]
    results, published = season_results(facts, spec, series)
    parts.extend(circuit_tables(spec))
    event_tables, round_tables = event_and_round_tables(spec, series, calendar_rows)
    parts.extend(event_tables)
    parts.insert(1, table("", season_head(spec, series, calendar_rows, has_results=bool(results))))
    parts.insert(
        2,
        table(
            "[scoring]",
            {
                "race": spec.scale or [],
                "pole": spec.pole,
                "fastest_lap": spec.fastest_lap,
                "guests": "pass-down",
                "notes": spec.scoring_notes,
            },
        ),
    )
    parts.extend(round_tables)
    name = f"{series}-{spec.year}"
    (HERE / "seasons" / f"{name}.toml").write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    result_path = HERE / "results" / f"{name}.csv"
    if results:
        result_path.write_text(results_csv(results), encoding="utf-8")
    elif result_path.exists():
        result_path.unlink()
    return published


def season_results(facts: Path, spec: SeasonSpec, series: str) -> tuple[list[dict], list[dict]]:
    """The season's known results (the published table's cells, then each podium or winner read,
    the first word on a race's driver or place winning) and its published standings rows."""
    results: list[dict] = []
    published: list[dict] = []
    taken: set[tuple[int, str]] = set()  # (race, driver)
    places: set[tuple[int, str]] = set()  # (race, position)
    numbers = {race.number for w in spec.weekends for race in w.races}

    def add_result(race: int, position: str, status: str, driver: str, **entry: str) -> None:
        if race not in numbers or (race, driver) in taken:
            return
        if position and (race, position.rstrip("†")) in places:
            return
        taken.add((race, driver))
        if position:
            places.add((race, position.rstrip("†")))
        results.append(
            {"round": race, "position": position, "status": status, "driver": driver, **entry}
        )

    if spec.standings:
        table_path = facts / "partial-seasons" / spec.standings / "standings.csv"
        cells, rows = read_table(table_path, series, spec.year, spec.guest_rows)
        published.extend(rows)
        for row in cells:
            add_result(**row)
    for weekend in spec.weekends:
        for race in weekend.races:
            for place, driver in enumerate(
                race.podium or ([race.winner] if race.winner else []), 1
            ):
                add_result(race=race.number, position=str(place), status="", driver=driver)
    return results, published


def circuit_tables(spec: SeasonSpec) -> list[str]:
    """A [[circuits]] table for each circuit of the season not already in circuits.csv."""
    tables = []
    for slug in sorted({w.circuit for w in spec.weekends if w.circuit in NEW_CIRCUITS}):
        name, place, country, zone = NEW_CIRCUITS[slug]
        tables.append(
            table(
                "[[circuits]]",
                {
                    "slug": slug,
                    "name": name,
                    "place": place,
                    "country": country,
                    "time_zone": zone,
                    "source": "Name and country as the calendars print them "
                    "(shared/data/facts); time zone from the place.",
                },
            )
        )
    return tables


def event_and_round_tables(
    spec: SeasonSpec, series: str, calendar_rows: list[dict[str, str]]
) -> tuple[list[str], list[str]]:
    """An [[events]] table per weekend and a [[rounds]] table per race."""
    event_slugs: dict[str, int] = {}
    event_tables: list[str] = []
    round_tables: list[str] = []
    for weekend in spec.weekends:
        rows = rows_of(spec, weekend, calendar_rows)
        base = (
            f"{weekend.circuit}-{spec.year}"
            if series == "supercup"
            else f"{series}-{weekend.circuit}-{spec.year}"
        )
        event_slugs[base] = event_slugs.get(base, 0) + 1
        slug = base if event_slugs[base] == 1 else f"{base}-{event_slugs[base]}"
        start, end, precision = dates(weekend)
        stem = weekend.name or SHORT[weekend.circuit]
        event_tables.append(
            table(
                "[[events]]",
                {
                    "slug": slug,
                    "name": f"{stem} {spec.year}",
                    "circuit": weekend.circuit,
                    "start_date": start,
                    "end_date": end,
                    "date_precision": precision,
                    "dates_note": "Only the month is known." if precision == "month" else "",
                    "supports": clip(
                        weekend.supports if weekend.supports is not None else supports_of(rows),
                        200,
                    ),
                    "notes": private_text(rows, "notes"),
                    "source": "; ".join(dict.fromkeys(r["source"] for r in rows if r["source"])),
                },
            )
        )
        for index, race in enumerate(weekend.races, start=1):
            values = round_values(weekend, race, index, slug, stem, rows, (start, end, precision))
            round_tables.append(table("[[rounds]]", values))
    return event_tables, round_tables


def round_values(
    weekend: Weekend,
    race: Race,
    index: int,
    slug: str,
    stem: str,
    rows: list[dict[str, str]],
    weekend_dates: tuple[dt.date, dt.date, str],
) -> dict[str, object]:
    """One race's [[rounds]] table: its date as precise as known, name, description and notes."""
    start, end, precision = weekend_dates
    if race.day:
        day, race_precision = dt.date.fromisoformat(race.day), "day"
    elif precision == "month":
        day, race_precision = start, "month"
    else:
        day, race_precision = end, "weekend"
    description = [race.description, weekend.description]
    if not weekend.races_known:
        description.insert(
            0,
            "One round stands for this weekend: its number of races is not on record.",
        )
    if race.inferred and race.winner:
        description.append("The winner is inferred, not read in a results table.")
    several = len(weekend.races) > 1
    values: dict[str, object] = {
        "number": race.number,
        "date": day,
        "date_precision": race_precision,
        "event": slug,
        "circuit": weekend.circuit,
        "name": f"{stem} race {index}" if several else stem,
        "description": " ".join(dict.fromkeys(d for d in description if d)),
        "notes": private_text(
            # One calendar row per race where the facts give them so.
            [rows[index - 1]] if len(rows) == len(weekend.races) > 1 else rows,
            "round",
            "winner",
            "notes",
            "winner_source",
            "source",
        ),
    }
    if race.starts_at:
        values["sessions"] = [{"kind": "race", "starts_at": race.starts_at, "date": day}]
    return values


def season_head(
    spec: SeasonSpec, series: str, calendar_rows: list[dict[str, str]], *, has_results: bool
) -> dict[str, object]:
    """The season's own keys: name, car, classes, what its results cover, notes and sources."""
    unplaced = [calendar_rows[i] for i in spec.unplaced]
    notes = [
        f"Generated from shared/data/facts/{spec.calendar}; race numbering, dates and "
        "winners as the facts give them (see each round's notes)."
    ]
    if unplaced:
        notes.append(
            "Calendar rows without a date, so without an event here: "
            + " || ".join(
                private_text([row], "round", "circuit", "winner", "notes") for row in unplaced
            )
        )
    sources: list[str] = []
    for row in calendar_rows:
        for source in row.get("source", "").split("; "):
            if source and source not in sources:
                sources.append(source)
    head: dict[str, object] = {
        "series": series,
        "year": spec.year,
        "name": spec.name,
        "car": spec.car[0] if spec.car else "",
        "car_generation": spec.car[1] if spec.car else "",
        "classes": spec.classes,
        "results_partial": has_results,
        "results_note": (
            spec.results_note
            + (
                " The points scale is not on record, so no points are computed."
                if not spec.scale
                else ""
            )
        ).strip()
        if has_results
        else "No results are on record for this season.",
        "description": spec.description,
        "notes": " ".join(notes),
        "source": clip("; ".join(sources), 20_000),
    }
    head = {k: v for k, v in head.items() if v != "" and v != []}
    head.setdefault("classes", [])
    return head


def write_published(published: list[dict]) -> None:
    columns = ["series", "year", "driver", "published_position", "published_points"]
    columns += ["row_complete", "source", "notes"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(
        sorted(
            published, key=lambda r: (r["series"], r["year"], int(r["published_position"] or 999))
        )
    )
    (HERE / "published_standings.csv").write_text(buffer.getvalue(), encoding="utf-8")


def write_drivers() -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "name_original", "source"])
    for name, original in ORIGINAL_NAMES.items():
        writer.writerow(
            [
                name,
                original,
                "shared/data/facts/recent calendars (names as read, romanization as printed)",
            ]
        )
    (HERE / "drivers.csv").write_text(buffer.getvalue(), encoding="utf-8")
