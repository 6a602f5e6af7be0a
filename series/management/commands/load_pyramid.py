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
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, models, transaction

from series.importers import ImportFailed, import_results, import_season, unique_slug
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
    Season,
    Series,
    Session,
    SessionKind,
    Tier,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


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
        model: type[models.Model],
        lookup: dict,
        values: dict,
        existing: dict | None = None,
    ) -> models.Model:
        """Creates or updates one row after the model's own validation; a row whose values are
        already in the database is not saved again. `existing` (natural key -> object) spares a
        query per row in the long files."""
        if existing is not None:
            obj = existing.get(tuple(lookup.values()))
        else:
            obj = model.objects.filter(**lookup).first()
        if obj is not None and all(getattr(obj, name) == value for name, value in values.items()):
            return obj
        created = obj is None
        if created:
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
            values = {name: row[name] for name in columns if name != "slug"}
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
            values = {
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
            values = {name: row[name] for name in ("name", "place", "country", "time_zone")}
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
        for path, line, row, counts in self.rows("events.csv", columns, ("date_precision",)):
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
            values = {
                name: row[name]
                for name in ("name", "dates_note", "supports", "description", "notes", "source")
            }
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

    def champions(self) -> None:
        columns = (
            "series",
            "year",
            "class_name",
            "driver_name",
            "nationality",
            "team",
            "teams_champion",
            "source",
            "notes",
        )
        series = {s.slug: s for s in Series.objects.all()}
        # One person across series is one Driver, matched on the exact name.
        drivers: dict[str, Driver] = {}
        for driver in Driver.objects.order_by("pk"):
            drivers.setdefault(driver.name, driver)
        slugs = set(Driver.objects.values_list("slug", flat=True))
        champions = {
            (c.series, c.year, c.class_name, c.driver_name): c
            for c in Champion.objects.select_related("series")
        }
        driver_counts = _Counts("drivers (from champions.csv)")
        champion_drivers: set[int] = set()
        for path, line, row, counts in self.rows("champions.csv", columns):
            if row["series"] not in series:
                raise DataError(path, line, f"series: unknown series {row['series']!r}")
            year = self.whole(path, line, "year", row["year"])
            if year is None:
                raise DataError(path, line, "year: missing")
            name = row["driver_name"]
            if not name:
                raise DataError(path, line, "driver_name: missing")
            driver = None
            # "(not held)", "(season cancelled)": a year without a champion names no driver.
            if not name.startswith("("):
                driver = drivers.get(name)
                if driver is None:
                    driver = Driver.objects.create(
                        name=name,
                        slug=unique_slug(Driver, name, slugs),
                        nationality=row["nationality"],
                    )
                    drivers[name] = driver
                    driver_counts.created += 1
                    self.changed = True
                elif row["nationality"] and not driver.nationality:
                    driver.nationality = row["nationality"]
                    driver.save(update_fields=["nationality"])
                    driver_counts.updated += 1
                    self.changed = True
            values = {
                name: row[name]
                for name in ("nationality", "team", "teams_champion", "source", "notes")
            }
            values["driver"] = driver
            if driver is not None:
                champion_drivers.add(driver.pk)
            self.save(
                path,
                line,
                counts,
                Champion,
                {
                    "series": series[row["series"]],
                    "year": year,
                    "class_name": row["class_name"],
                    "driver_name": name,
                },
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
                )
            except ImportFailed as exc:
                raise DataError(path, 0, _describe_import(exc)) from None
            if report.changed_anything:
                self.changed = True
                counts.updated += 1

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
        were read, and whether each row was read complete. The points stay in this file (no
        model holds published points yet). In a partial season only an entry whose row was read
        complete has complete results: every other entry's missing results are unknown, not
        races it missed (a winners-only season's winners included)."""
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
            (season.series.slug, season.year) for season in Season.objects.select_related("series")
        }
        complete_rows: set[tuple[str, int, str]] = set()
        for path, line, row, _counts in self.rows("published_standings.csv", columns):
            year = self.whole(path, line, "year", row["year"])
            if (row["series"], year) not in seasons:
                raise DataError(path, line, f"no season {row['series']} {row['year']}")
            for column in ("published_position", "published_points"):
                self.whole(path, line, column, row[column])
            if row["row_complete"] not in ("yes", "no"):
                raise DataError(path, line, "row_complete: yes or no")
            if row["row_complete"] == "yes":
                complete_rows.add((row["series"], year, row["driver"]))
        # results_complete comes with the standings engine's unknown results; until then the
        # file is only checked.
        counts = self.counts[-1]
        for key, entry in entries.items():
            if not hasattr(entry, "results_complete") or not entry.season.results_partial:
                continue
            complete = key in complete_rows
            if entry.results_complete != complete:
                entry.results_complete = complete
                entry.save(update_fields=["results_complete"])
                counts.updated += 1
                self.changed = True

    def media_links(self) -> None:
        columns = ("owner", "kind", "provider", "url", "region", "title", "note", "source")
        for path, line, row, counts in self.rows("media_links.csv", columns):
            owner = self.owner(path, line, row["owner"])
            kind = self.choice(path, line, "kind", row["kind"], MediaKind)
            self.save(
                path,
                line,
                counts,
                MediaLink,
                {**owner, "kind": kind, "provider": row["provider"]},
                {name: row[name] for name in ("url", "region", "title", "note", "source")},
            )

    def owner(self, path: Path, line: int, raw: str) -> dict:
        """series:<slug>, season:<series-slug>:<year>, event:<slug> or session:<event>/<slug>."""
        kind, _, rest = raw.partition(":")
        found = None
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


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
    return " ".join(exc.messages)


def _describe_import(exc: ImportFailed) -> str:
    return "\n" + "\n".join(f"  {error}" for error in exc.errors)
