"""The shipped facts of the record itself: car generations, series, circuits, events, seasons
(through import_season), extra sessions, media links and the cars of seasons that name none."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import models

from ..models import (
    CarGeneration,
    Circuit,
    DatePrecision,
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
from .api import import_season
from .facts_reader import Counts, DataError, FactReader, describe_import
from .report import ImportFailed


class RecordFacts(FactReader):
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

    def seasons(self) -> None:
        counts = Counts("seasons/*.toml")
        self.counts.append(counts)
        for path in sorted((self.data_dir / "seasons").glob("*.toml")):
            counts.rows += 1
            try:
                _, report = import_season(path.read_text(encoding="utf-8"))
            except ImportFailed as exc:
                raise DataError(path, 0, describe_import(exc)) from None
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

    def owner(self, path: Path, line: int, raw: str) -> dict[str, models.Model]:
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
