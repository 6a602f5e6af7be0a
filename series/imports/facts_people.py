"""The shipped facts about people and titles: teams and the names they were printed under,
champions (and their drivers), results (through import_results, with the editors' name choices),
names in their own script, and the published tables' rows (which entries' results are complete).
The champions' spellings (classes, names with asides, qualifiers) are read here, once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import models

from ..models import (
    Champion,
    Driver,
    Entry,
    PublishedStanding,
    Season,
    Series,
    Team,
    TeamAlias,
    TitleKind,
)
from .api import import_results
from .facts_reader import Counts, DataError, FactReader, describe_import
from .report import ImportFailed
from .writing import unique_slug


class PeopleFacts(FactReader):
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
        driver_counts = Counts("drivers (from the champions files)")
        champion_drivers: set[int] = set()

        def rows() -> Iterator[tuple[Path, int, dict[str, str], Counts, Series | None]]:
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
                        save_fields(driver, changed)
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

    def results(self) -> None:
        """results/<series-slug>-<year>.csv, through the real import path."""
        counts = Counts("results/*.csv")
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
                raise DataError(path, 0, describe_import(exc)) from None
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
                save_fields(driver, ["name_original"])
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


def save_fields(obj: models.Model, fields: list[str]) -> None:
    """obj.save(update_fields=fields), through the model's own save (Driver's sets its search
    name), called as a Model's: the models' save overrides are not annotated."""
    obj.save(update_fields=fields)


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
