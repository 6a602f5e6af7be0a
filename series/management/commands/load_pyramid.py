"""python manage.py load_pyramid [--data-dir DIR]

Loads the facts the site ships with (series/data/, described in its README.md) in one transaction:
car generations, series, circuits, events, champions (and their drivers), seasons through
import_season (each season file may define more circuits and events), extra sessions, results
through import_results, names in their own script, the published tables' rows (which entries'
results are complete), media links. Idempotent: rows are
matched on their slug or natural key and saved only when a value differs, so a second run changes
nothing. A bad row stops the load, naming the file and line, and nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, models, transaction

from series.imports.api import import_results, import_season
from series.imports.report import ImportFailed
from series.imports.writing import unique_slug
from series.models import (
    CarGeneration,
    Champion,
    Circuit,
    DatePrecision,
    Driver,
    Entry,
    Event,
    EventKind,
    MediaKind,
    MediaLink,
    PublishedStanding,
    Season,
    Series,
    Session,
    SessionKind,
    Team,
    TeamAlias,
    Tier,
    TitleKind,
)
from series.standings_store import rebuild as rebuild_standings

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

_M = TypeVar("_M", bound=models.Model)


class DataError(Exception):
    def __init__(self, path: Path, line: int, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path} line {line}: {message}" if line else f"{path}: {message}")


class _Counts:
    def __init__(self, name: str):
        self.name = name
        self.rows = self.created = self.updated = 0

    def __str__(self) -> str:
        return (
            f"{self.name}: {self.rows} rows "
            f"({self.created} created, {self.updated} updated, "
            f"{self.rows - self.created - self.updated} unchanged)"
        )


class Command(BaseCommand):
    help = "Load the shipped facts (series/data/) into the database; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DATA_DIR,
            help="Folder of the data files (default: series/data/).",
        )

    def handle(self, *args, data_dir: Path, **options):
        if not data_dir.is_dir():
            raise CommandError(f"{data_dir} is not a folder")
        loader = _Loader(data_dir)
        try:
            with transaction.atomic():
                loader.load()
        except DataError as exc:
            raise CommandError(f"Nothing loaded. {exc}") from exc
        # The seasons saved above were computed after the commit; this stores any other season
        # without current rows (a first load on a database from before stored standings).
        rebuild_standings(stale_only=True)
        for counts in loader.counts:
            self.stdout.write(str(counts))
        self.stdout.write("Done." if loader.changed else "Done: nothing changed.")


class _Loader:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.counts: list[_Counts] = []
        self.changed = False

    def load(self) -> None:
        self.car_generations()
        self.series()
        self.circuits()
        self.events()
        self.champions()
        self.seasons()
        self.sessions()
        self.results()
        self.original_names()
        self.published_standings()
        self.media_links()
        self.season_cars()

    # --- reading --------------------------------------------------------------------------------

    def rows(
        self, name: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> Iterator[tuple[Path, int, dict[str, str], _Counts]]:
        path = self.data_dir / name
        counts = _Counts(name)
        self.counts.append(counts)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataError(path, 0, str(exc)) from exc
        reader = csv.DictReader(text.splitlines())
        header = reader.fieldnames or []
        unknown = sorted(set(header) - set(required) - set(optional))
        missing = [column for column in required if column not in header]
        if unknown or missing:
            problems = []
            if unknown:
                problems.append(f"unknown column(s) {', '.join(unknown)}")
            if missing:
                problems.append(f"missing column(s) {', '.join(missing)}")
            raise DataError(path, 1, "; ".join(problems))
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                raise DataError(
                    path, reader.line_num, f"the row does not have the {len(header)} columns"
                )
            counts.rows += 1
            yield path, reader.line_num, {key: value.strip() for key, value in row.items()}, counts

    @staticmethod
    def whole(path: Path, line: int, column: str, raw: str) -> int | None:
        if raw == "":
            return None
        if not raw.isdigit():
            raise DataError(path, line, f"{column}: {raw!r} is not a whole number")
        return int(raw)

    @staticmethod
    def points(path: Path, line: int, raw: str) -> Decimal | None:
        if raw == "":
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            raise DataError(path, line, f"points: {raw!r} is not a number") from None
        if value < 0 or value != value.quantize(Decimal("0.5")):
            raise DataError(path, line, f"points: {raw!r} is not a published total")
        return value

    @staticmethod
    def date(path: Path, line: int, column: str, raw: str) -> dt.date:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise DataError(
                path, line, f"{column}: {raw!r} is not a date like 2023-09-28"
            ) from None

    @staticmethod
    def choice(path: Path, line: int, column: str, raw: str, choices) -> str:
        if raw not in choices.values:
            raise DataError(
                path, line, f"{column}: {raw!r} is not one of {', '.join(map(str, choices.values))}"
            )
        return raw

    def save(
        self,
        path: Path,
        line: int,
        counts: _Counts,
        model: type[_M],
        lookup: dict[str, Any],
        values: dict[str, Any],
        existing: dict[tuple[Any, ...], _M] | None = None,
    ) -> _M:
        """Creates or updates one row after the model's own validation; a row whose values are
        already in the database is not saved again. `existing` (natural key -> object) spares a
        query per row in the long files."""
        if existing is not None:
            obj = existing.get(tuple(lookup.values()))
        else:
            obj = model._default_manager.filter(**lookup).first()
        if obj is not None and all(getattr(obj, name) == value for name, value in values.items()):
            return obj
        created = obj is None
        if obj is None:
            obj = model(**lookup, **values)
        else:
            for name, value in values.items():
                setattr(obj, name, value)
        # Related rows were found by the loader itself, and the natural key is the lookup: only
        # field values and check constraints need the model's validation (a clash on another
        # unique field still comes back from the database as an error on this line).
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        has_checks = any(isinstance(c, models.CheckConstraint) for c in model._meta.constraints)
        try:
            obj.full_clean(
                exclude=relations, validate_unique=False, validate_constraints=has_checks
            )
            with transaction.atomic():
                obj.save()
        except ValidationError as exc:
            raise DataError(path, line, _describe(exc)) from None
        except IntegrityError as exc:
            raise DataError(path, line, f"the database refused the row: {exc}") from None
        if created:
            counts.created += 1
        else:
            counts.updated += 1
        if existing is not None:
            existing[tuple(lookup.values())] = obj
        self.changed = True
        return obj

    # --- files ----------------------------------------------------------------------------------

    def car_generations(self) -> None:
        columns = (
            "generation",
            "slug",
            "model_name",
            "first_year",
            "first_raced",
            "period",
            "engine_output",
            "units_built",
            "notes",
            "source",
            "conflicts",
        )
        for path, line, row, counts in self.rows("car_generations.csv", columns):
            values: dict[str, Any] = {name: row[name] for name in columns if name != "slug"}
            values["first_year"] = self.whole(path, line, "first_year", row["first_year"])
            self.save(path, line, counts, CarGeneration, {"slug": row["slug"]}, values)

    def series(self) -> None:
        columns = (
            "slug",
            "name",
            "short_name",
            "tier",
            "country",
            "region",
            "first_year",
            "last_year",
            "organiser",
            "sanctioning_body",
            "website",
            "feeds_into",
            "description",
            "source",
        )
        for path, line, row, counts in self.rows("series.csv", columns):
            tier = self.whole(path, line, "tier", row["tier"])
            if tier not in Tier.values:
                raise DataError(path, line, f"tier: {row['tier']!r} is not 1, 2 or 3")
            feeds_into = None
            if row["feeds_into"]:
                # The file lists a series before the series that feed into it.
                feeds_into = Series.objects.filter(slug=row["feeds_into"]).first()
                if feeds_into is None:
                    raise DataError(
                        path,
                        line,
                        f"feeds_into: unknown series {row['feeds_into']!r} "
                        "(list it above the series that feed into it)",
                    )
            values: dict[str, Any] = {
                name: row[name]
                for name in columns
                if name not in {"slug", "tier", "first_year", "last_year", "feeds_into"}
            }
            values.update(
                tier=tier,
                first_year=self.whole(path, line, "first_year", row["first_year"]),
                last_year=self.whole(path, line, "last_year", row["last_year"]),
                feeds_into=feeds_into,
            )
            self.save(path, line, counts, Series, {"slug": row["slug"]}, values)

    def circuits(self) -> None:
        columns = ("slug", "name", "place", "country", "time_zone", "length_km", "turns", "source")
        for path, line, row, counts in self.rows("circuits.csv", columns):
            length = None
            if row["length_km"]:
                try:
                    length = Decimal(row["length_km"])
                except InvalidOperation:
                    raise DataError(
                        path, line, f"length_km: {row['length_km']!r} is not a number"
                    ) from None
            values: dict[str, Any] = {
                name: row[name] for name in ("name", "place", "country", "time_zone")
            }
            values.update(
                source=row["source"],
                length_km=length,
                turns=self.whole(path, line, "turns", row["turns"]),
            )
            self.save(path, line, counts, Circuit, {"slug": row["slug"]}, values)

    def events(self) -> None:
        columns = (
            "slug",
            "name",
            "kind",
            "circuit",
            "start_date",
            "end_date",
            "dates_note",
            "supports",
            "parent",
            "description",
            "notes",
            "source",
        )
        # date_precision: day (default), weekend or month (Rennsport Reunion II: April 2004).
        optional = ("date_precision", "organiser")
        for path, line, row, counts in self.rows("events.csv", columns, optional):
            circuit = Circuit.objects.filter(slug=row["circuit"]).first()
            if circuit is None:
                raise DataError(path, line, f"circuit: unknown circuit {row['circuit']!r}")
            parent = None
            if row["parent"]:
                parent = Event.objects.filter(slug=row["parent"]).first()
                if parent is None:
                    raise DataError(
                        path, line, f"parent: unknown event {row['parent']!r} (list it above)"
                    )
            values: dict[str, Any] = {
                name: row[name]
                for name in ("name", "dates_note", "supports", "description", "notes", "source")
            }
            values["organiser"] = row.get("organiser") or ""
            values.update(
                kind=self.choice(path, line, "kind", row["kind"], EventKind),
                circuit=circuit,
                parent=parent,
                start_date=self.date(path, line, "start_date", row["start_date"]),
                end_date=self.date(path, line, "end_date", row["end_date"]),
                date_precision=self.choice(
                    path,
                    line,
                    "date_precision",
                    row.get("date_precision") or DatePrecision.DAY,
                    DatePrecision,
                ),
            )
            self.save(path, line, counts, Event, {"slug": row["slug"]}, values)

    def team_aliases(self) -> dict[str, Team]:
        """team_aliases.csv: the names one team was printed under. Returns every known name
        (lower-cased team names and aliases) -> Team, for matching the champions' teams."""
        columns = ("team", "alias", "note")
        teams: dict[str, Team] = {}
        for team in Team.objects.prefetch_related("aliases"):
            teams.setdefault(team.name.lower(), team)
            for alias in team.aliases.all():
                teams.setdefault(alias.name.lower(), team)
        for path, line, row, counts in self.rows("team_aliases.csv", columns):
            if not row["team"] or not row["alias"]:
                raise DataError(path, line, "team and alias are both needed")
            team = self.team(row["team"], teams)
            holder = teams.get(row["alias"].lower())
            if holder is not None and holder.pk != team.pk:
                if holder.name.lower() != row["alias"].lower():
                    raise DataError(
                        path,
                        line,
                        f"alias: {row['alias']!r} is already an alias of team {holder.name!r}",
                    )
                # A record made under the other name before the alias was known: one team.
                merge_team(holder, into=team)
                teams.update({key: team for key, t in teams.items() if t.pk == holder.pk})
                self.changed = True
            self.save(path, line, counts, TeamAlias, {"name": row["alias"]}, {"team": team})
            teams[row["alias"].lower()] = team
        return teams

    def team(self, name: str, teams: dict[str, Team]) -> Team:
        """The Team a printed name stands for, created when no team or alias has the name."""
        team = teams.get(name.lower())
        if team is None:
            team = Team.objects.create(name=name, slug=unique_slug(Team, name))
            teams[name.lower()] = team
            self.changed = True
        return team

    def champions(self) -> None:
        """champions.csv (series slugs) and champions_additions.csv (series names, as the
        compiled facts give them): one title per row, classes spelled one way, drivers and teams
        matched to their records, and INFERRED / CONFLICT / LOW CONFIDENCE shown as a qualifier."""
        columns = (
            "series",
            "year",
            "class_name",
            "driver_name",
            "nationality",
            "team",
            "teams_champion",
            "points",
            "source",
            "notes",
        )
        additions = (
            "series",
            "year",
            "class",
            "driver",
            "nationality",
            "team",
            "teams_champion",
            "source",
            "notes",
        )
        teams = self.team_aliases()
        series = {s.slug: s for s in Series.objects.all()}
        series_by_name = {s.name: s for s in series.values()}
        # One person across series is one Driver, matched on the exact name.
        drivers: dict[str, Driver] = {}
        for known in Driver.objects.order_by("pk"):
            drivers.setdefault(known.name, known)
        slugs = set(Driver.objects.values_list("slug", flat=True))
        champions = {
            (c.series, c.year, c.class_name, c.driver_name): c
            for c in Champion.objects.select_related("series")
        }
        driver_counts = _Counts("drivers (from the champions files)")
        champion_drivers: set[int] = set()

        def rows():
            for path, line, row, counts in self.rows("champions.csv", columns):
                yield path, line, row, counts, series.get(row["series"])
            for path, line, row, counts in self.rows("champions_additions.csv", additions):
                row = {
                    **row,
                    "class_name": row.pop("class"),
                    "driver_name": row.pop("driver"),
                }
                yield path, line, row, counts, series_by_name.get(row["series"])

        for path, line, row, counts, owner in rows():
            if owner is None:
                raise DataError(path, line, f"series: unknown series {row['series']!r}")
            year = self.whole(path, line, "year", row["year"])
            if year is None:
                raise DataError(path, line, "year: missing")
            class_name = normalise_class(row["class_name"])
            printed = row["driver_name"]
            kind: str | None = TitleKind.TITLE
            if class_name == "Teams" and not printed:
                # A teams' title names the team, not a driver.
                printed = row["teams_champion"]
            if not printed:
                raise DataError(path, line, "driver_name: missing")
            if printed.startswith("("):
                # "(not held)", "(season cancelled)": a year without a champion names no driver.
                kind = no_title_kind(printed)
                if kind is None:
                    raise DataError(
                        path,
                        line,
                        f"driver_name: {printed!r} is neither a name nor (not held), "
                        "(season cancelled) or (no champion crowned)",
                    )
            name, original, _ = split_name(printed)
            driver: Driver | None = None
            if kind == TitleKind.TITLE and class_name != "Teams":
                driver = drivers.get(name)
                if driver is None:
                    driver = Driver.objects.create(
                        name=name,
                        name_original=original,
                        slug=unique_slug(Driver, name, slugs),
                        nationality=row["nationality"],
                    )
                    drivers[name] = driver
                    driver_counts.created += 1
                    self.changed = True
                else:
                    changed = []
                    if row["nationality"] and not driver.nationality:
                        driver.nationality = row["nationality"]
                        changed.append("nationality")
                    if original and not driver.name_original:
                        driver.name_original = original
                        changed.append("name_original")
                    if changed:
                        driver.save(update_fields=changed)
                        driver_counts.updated += 1
                        self.changed = True
            team_name = team_of(row["team"])
            teams_champion_name = team_of(row["teams_champion"])
            values: dict[str, Any] = {
                "kind": kind,
                "class_printed": row["class_name"] if row["class_name"] != class_name else "",
                "nationality": row["nationality"],
                "team": row["team"],
                "team_record": self.team(team_name, teams) if team_name else None,
                "teams_champion": row["teams_champion"],
                "teams_champion_record": (
                    self.team(teams_champion_name, teams) if teams_champion_name else None
                ),
                "qualifier": qualifier(row["notes"]),
                "points": self.points(path, line, row.get("points", "")),
                "source": row["source"],
                "notes": row["notes"],
                "driver": driver,
            }
            if driver is not None:
                champion_drivers.add(driver.pk)
            self.save(
                path,
                line,
                counts,
                Champion,
                {"series": owner, "year": year, "class_name": class_name, "driver_name": name},
                values,
                existing=champions,
            )
        driver_counts.rows = len(champion_drivers)
        self.counts.append(driver_counts)

    def seasons(self) -> None:
        counts = _Counts("seasons/*.toml")
        self.counts.append(counts)
        for path in sorted((self.data_dir / "seasons").glob("*.toml")):
            counts.rows += 1
            try:
                _, report = import_season(path.read_text(encoding="utf-8"))
            except ImportFailed as exc:
                raise DataError(path, 0, _describe_import(exc)) from None
            if report.changed_anything:
                self.changed = True
                counts.created += report.created.get("seasons", 0)
                counts.updated += 1 - report.created.get("seasons", 0)

    def sessions(self) -> None:
        """Sessions outside any round: the parade laps and demonstrations of a festival."""
        columns = (
            "event",
            "slug",
            "name",
            "kind",
            "date",
            "starts_at",
            "duration_minutes",
            "notes",
        )
        for path, line, row, counts in self.rows("sessions.csv", columns):
            event = Event.objects.filter(slug=row["event"]).first()
            if event is None:
                raise DataError(path, line, f"event: unknown event {row['event']!r}")
            date = self.date(path, line, "date", row["date"])
            if not event.start_date <= date <= event.end_date:
                raise DataError(path, line, f"date: {date} is outside event {event.slug}")
            starts_at = None
            if row["starts_at"]:
                try:
                    starts_at = dt.datetime.fromisoformat(row["starts_at"])
                except ValueError:
                    starts_at = None
                if starts_at is None or starts_at.tzinfo is None:
                    raise DataError(
                        path,
                        line,
                        f"starts_at: {row['starts_at']!r} is not a time with its offset, like "
                        "2023-09-30T10:00:00-07:00",
                    )
            self.save(
                path,
                line,
                counts,
                Session,
                {"event": event, "slug": row["slug"]},
                {
                    "name": row["name"],
                    "kind": self.choice(path, line, "kind", row["kind"], SessionKind),
                    "date": date,
                    "starts_at": starts_at,
                    "duration_minutes": self.whole(
                        path, line, "duration_minutes", row["duration_minutes"]
                    ),
                    "notes": row["notes"],
                },
            )

    def results(self) -> None:
        """results/<series-slug>-<year>.csv, through the real import path."""
        counts = _Counts("results/*.csv")
        self.counts.append(counts)
        choices = self.name_choices()
        for path in sorted((self.data_dir / "results").glob("*.csv")):
            counts.rows += 1
            slug, _, year = path.stem.rpartition("-")
            season = Season.objects.filter(
                series__slug=slug, year=int(year) if year.isdigit() else 0
            ).first()
            if season is None:
                raise DataError(
                    path, 0, f"no season {slug} {year}: name the file <series-slug>-<year>.csv"
                )
            try:
                report = import_results(
                    season,
                    path.read_text(encoding="utf-8"),
                    create_missing=True,
                    mark_final=True,
                    choices=choices,
                )
            except ImportFailed as exc:
                raise DataError(path, 0, _describe_import(exc)) from None
            if report.changed_anything:
                self.changed = True
                counts.updated += 1

    def name_choices(self) -> dict[str, str]:
        """name_choices.csv: what an editor would answer for a new name close to a known one
        ("Jonas Gelžinis" beside "Ignas Gelžinis": another driver), so the shipped results load
        without asking. `choice` is "create" or the slug of the known driver or team."""
        choices: dict[str, str] = {}
        for path, line, row, _counts in self.rows(
            "name_choices.csv", ("kind", "name", "choice", "why")
        ):
            if row["kind"] not in ("driver", "team"):
                raise DataError(path, line, "kind: driver or team")
            choices[f"{row['kind']}:{row['name']}"] = row["choice"]
        return choices

    def original_names(self) -> None:
        """drivers.csv: a driver's name in its own script (伊東黎明), set on the driver the
        results or champions files created under the romanized name."""
        drivers = {driver.name: driver for driver in Driver.objects.order_by("-pk")}
        for path, line, row, counts in self.rows(
            "drivers.csv", ("name", "name_original", "source")
        ):
            driver = drivers.get(row["name"])
            if driver is None:
                raise DataError(path, line, f"name: no driver {row['name']!r} in the facts")
            if driver.name_original != row["name_original"]:
                driver.name_original = row["name_original"]
                driver.save(update_fields=["name_original"])
                counts.updated += 1
                self.changed = True

    def published_standings(self) -> None:
        """published_standings.csv: the published points and positions of the table rows that
        were read (kept as PublishedStanding rows, the official figures the pages set beside a
        computed table), and whether each row was read complete. In a partial season only an
        entry whose row was read complete has complete results: every other entry's missing
        results are unknown, not races it missed (a winners-only season's winners included)."""
        columns = (
            "series",
            "year",
            "driver",
            "published_position",
            "published_points",
            "row_complete",
            "source",
            "notes",
        )
        entries = {
            (entry.season.series.slug, entry.season.year, entry.driver.name): entry
            for entry in Entry.objects.select_related("season__series", "driver")
        }
        seasons = {
            (season.series.slug, season.year): season
            for season in Season.objects.select_related("series")
        }
        drivers = {driver.name: driver for driver in Driver.objects.order_by("-pk")}
        published = {
            (row.season_id, row.class_name, row.driver_name): row
            for row in PublishedStanding.objects.all()
        }
        complete_rows: set[tuple[str, int, str]] = set()
        for path, line, row, counts in self.rows("published_standings.csv", columns):
            year = self.whole(path, line, "year", row["year"])
            season = seasons.get((row["series"], year)) if year is not None else None
            if season is None or year is None:
                raise DataError(path, line, f"no season {row['series']} {row['year']}")
            self.save(
                path,
                line,
                counts,
                PublishedStanding,
                {"season_id": season.pk, "class_name": "overall", "driver_name": row["driver"]},
                {
                    "position": self.whole(
                        path, line, "published_position", row["published_position"]
                    ),
                    "points": self.whole(path, line, "published_points", row["published_points"]),
                    "driver": drivers.get(row["driver"]),
                    "source": row["source"],
                },
                existing=published,
            )
            if row["row_complete"] not in ("yes", "no"):
                raise DataError(path, line, "row_complete: yes or no")
            if row["row_complete"] == "yes":
                complete_rows.add((row["series"], year, row["driver"]))
        counts = self.counts[-1]
        for key, entry in entries.items():
            if not entry.season.results_partial:
                continue
            complete = key in complete_rows
            if entry.results_complete != complete:
                entry.results_complete = complete
                entry.save(update_fields=["results_complete"])
                counts.updated += 1
                self.changed = True

    def media_links(self) -> None:
        """media_links.csv: where to watch, each link with the year it describes (as_of_year;
        blank for a lasting address such as a series' archive)."""
        columns = ("owner", "kind", "provider", "url", "region", "title", "note", "source")
        for path, line, row, counts in self.rows("media_links.csv", columns, ("as_of_year",)):
            owner = self.owner(path, line, row["owner"])
            kind = self.choice(path, line, "kind", row["kind"], MediaKind)
            as_of_year = self.whole(path, line, "as_of_year", row.get("as_of_year", ""))
            self.save(
                path,
                line,
                counts,
                MediaLink,
                {
                    **owner,
                    "kind": kind,
                    "provider": row["provider"],
                    "url": row["url"],
                    "as_of_year": as_of_year,
                },
                {name: row[name] for name in ("region", "title", "note", "source")},
            )

    def season_cars(self) -> None:
        """season_cars.csv: the car of a series from one year to another (series_facts.csv),
        applied to the seasons that exist and name no car of their own; a season file or an
        editor that names a car wins, and a year without a season waits for one."""
        columns = ("series", "first_year", "last_year", "car", "car_generation", "source", "notes")
        generations = {g.slug: g for g in CarGeneration.objects.all()}
        seasons: dict[tuple[str, int], Season] = {
            (s.series.slug, s.year): s for s in Season.objects.all().select_related("series")
        }
        known = set(Series.objects.values_list("slug", flat=True))
        for path, line, row, counts in self.rows("season_cars.csv", columns):
            if row["series"] not in known:
                raise DataError(path, line, f"series: unknown series {row['series']!r}")
            first = self.whole(path, line, "first_year", row["first_year"])
            last = self.whole(path, line, "last_year", row["last_year"])
            if first is None or last is None or last < first:
                raise DataError(path, line, "first_year and last_year: a range like 2021, 2025")
            generation = generations.get(row["car_generation"])
            if generation is None:
                raise DataError(
                    path, line, f"car_generation: unknown car generation {row['car_generation']!r}"
                )
            for year in range(first, last + 1):
                season = seasons.get((row["series"], year))
                if season is None or season.car or season.car_generation_id:
                    continue
                season.car, season.car_generation = row["car"], generation
                season.save(update_fields=["car", "car_generation"])
                counts.updated += 1
                self.changed = True

    def owner(self, path: Path, line: int, raw: str) -> dict:
        """series:<slug>, season:<series-slug>:<year>, event:<slug> or session:<event>/<slug>."""
        kind, _, rest = raw.partition(":")
        found: models.Model | None = None
        if kind == "series":
            found = Series.objects.filter(slug=rest).first()
        elif kind == "season":
            slug, _, year = rest.partition(":")
            if year.isdigit():
                found = Season.objects.filter(series__slug=slug, year=int(year)).first()
        elif kind == "event":
            found = Event.objects.filter(slug=rest).first()
        elif kind == "session":
            event, _, slug = rest.partition("/")
            found = Session.objects.filter(event__slug=event, slug=slug).first()
        else:
            raise DataError(
                path,
                line,
                f"owner: {raw!r} is not series:<slug>, season:<series>:<year>, event:<slug> "
                "or session:<event>/<slug>",
            )
        if found is None:
            raise DataError(path, line, f"owner: no {kind} {rest!r}")
        return {kind: found}


def merge_team(duplicate: Team, *, into: Team) -> None:
    """Moves every row that points at `duplicate` (entries, results, titles, aliases) to `into`
    and deletes `duplicate`, whose name becomes an alias of `into`."""
    for relation in Team._meta.related_objects:
        if relation.one_to_many:
            relation.related_model._default_manager.filter(
                **{relation.field.name: duplicate}
            ).update(**{relation.field.name: into})
    duplicate.delete()


# --- champions' spellings -------------------------------------------------------------------------

# One spelling per class. The printed class stays on the row (class_printed) where it differs.
CLASS_SPELLINGS = {
    "none": "overall",
    "overall (pro)": "overall",
    "pro (overall, al holbert cup)": "overall",
    "proam": "Pro-Am",
    "pro-am1": "Pro-Am 1",
    "pro-am2": "Pro-Am 2",
    "championnat b": "B (Gentlemen)",
    "championnat b (gentlemen)": "B (Gentlemen)",
    "gentlemen (b)": "B (Gentlemen)",
    "class b": "B",
    "b class": "B",
    "cayman gt4 class": "Cayman GT4",
    "class title (pro-am/gentleman; name not stated for 2020)": "Pro-Am / Gentleman",
}


def normalise_class(printed: str) -> str:
    spelled = CLASS_SPELLINGS.get(printed.lower())
    if spelled:
        return spelled
    if printed.startswith("(") or not printed:
        # "(class not stated)", "(new category, title)": the source names no class.
        return "class not stated"
    return printed


NO_TITLE = {
    "(not held)": TitleKind.NOT_HELD,
    "(season cancelled)": TitleKind.CANCELLED,
    "(no champion crowned)": TitleKind.NO_CHAMPION,
}


def no_title_kind(printed: str) -> str | None:
    return NO_TITLE.get(printed.lower())


_NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_NAME_WITH_ASIDE = re.compile(r"^(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)\s*$")


def split_name(printed: str) -> tuple[str, str, str]:
    """(Latin name, name in its own script, editorial aside) from a printed name:
    "Ryo Ogawa (小河 諒)" -> ("Ryo Ogawa", "小河 諒", ""); "近藤翼 (Tsubasa Kondo — romanization
    ours)" -> ("Tsubasa Kondo", "近藤翼", "romanization ours"); '"Bankcy" (BANKCY)' ->
    ("Bankcy", "", "")."""
    printed = printed.strip()
    match = _NAME_WITH_ASIDE.match(printed)
    if match is None:
        return printed.strip('"'), "", ""
    outer, inner = match["outer"].strip().strip('"'), match["inner"].strip()
    if inner.upper() == outer.upper():
        return outer, "", ""
    if _NON_LATIN.search(inner) and not _NON_LATIN.search(outer):
        return outer, inner, ""
    if _NON_LATIN.search(outer) and not _NON_LATIN.search(inner):
        latin, _, aside = inner.partition(" — ")
        return latin.strip(), outer, aside.strip()
    return printed, "", ""


def team_of(printed: str) -> str:
    """The team's name without the printed aside: "Kellymoss (No. 53)" -> "Kellymoss"."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", printed).strip()


QUALIFIERS = (
    ("LOW CONFIDENCE", "low confidence"),
    ("CONFLICT", "sources conflict"),
    ("INFERRED", "inferred, not stated"),
)


def qualifier(notes: str) -> str:
    """What fans see beside a title whose editor's note flags it; the detail stays private."""
    return "; ".join(label for flag, label in QUALIFIERS if flag in notes)


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def _describe_import(exc: ImportFailed) -> str:
    return "\n" + "\n".join(f"  {error}" for error in exc.errors)
