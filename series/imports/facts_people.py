"""The shipped facts about people and titles: teams and the names they were printed under,
champions (and their drivers), results (through import_results, with the editors' name choices),
names in their own script, and the published tables' rows (which entries' results are complete).
The champions' spellings (classes, names with asides, qualifiers) are read here, once."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models

from .. import versions
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
from .names import NameBook, NewName, fold, written
from .report import ImportFailed
from .writing import unique_slug


class PeopleFacts(FactReader):
    _name_choices: dict[str, str] | None = None

    def team_aliases(self) -> None:
        """team_aliases.csv: the names one team was printed under. Names are matched as an
        editor's import matches them (names.fold: case, accents, dots and spacing aside)."""
        columns = ("team", "alias", "note")
        known = list(Team.objects.order_by("pk").prefetch_related("aliases"))
        teams = {fold(team.name): team for team in reversed(known)}
        for team in known:
            for alias in team.aliases.all():
                teams.setdefault(fold(alias.name), team)
        for path, line, row, counts in self.rows("team_aliases.csv", columns):
            if not row["team"] or not row["alias"]:
                raise DataError(path, line, "team and alias are both needed")
            team = self.team(row["team"], teams)
            holder = teams.get(fold(row["alias"]))
            if holder is not None and holder.pk != team.pk:
                if fold(holder.name) != fold(row["alias"]):
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
            teams[fold(row["alias"])] = team

    def team(self, name: str, teams: dict[str, Team]) -> Team:
        """The Team a printed name stands for, created when no team or alias has the name."""
        team = teams.get(fold(name))
        if team is None:
            team = Team.objects.create(name=name, slug=unique_slug(Team, name))
            teams[fold(name)] = team
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
        self.team_aliases()
        series = {s.slug: s for s in Series.objects.all()}
        series_by_name = {s.name: s for s in series.values()}
        # One person is one Driver (one team one Team) however the record reached the site:
        # names are matched as an editor's import matches them (NameBook: folded names, the
        # teams' aliases, and name_choices.csv's answers for a new name close to a known one).
        choices = self.name_choices()
        drivers = NameBook(Driver, create_missing=True, choices=choices)
        teams = NameBook(Team, create_missing=True, choices=choices)
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

        # Every name is found or planned first, as an import plans them; then the new drivers
        # and teams are written at once and the titles saved.
        titles = [self.title(*read, drivers, teams) for read in rows()]
        new_drivers = drivers.create_planned()
        created = [*new_drivers, *teams.create_planned()]
        if created:
            # Written in bulk, without signals: their own parts (and the lists) stamped once.
            versions.stamp(
                part for obj in created for part in versions.parts_touched(obj, created=True)
            )
            self.changed = True
        driver_counts.created = len(new_drivers)
        for title in titles:
            driver = written(title.driver) if title.driver is not None else None
            if driver is not None:
                if self.complete_driver(driver, title.row["nationality"], title.original):
                    driver_counts.updated += 1
                champion_drivers.add(driver.pk)
            row = title.row
            values: dict[str, Any] = {
                "kind": title.kind,
                "class_printed": row["class_name"] if row["class_name"] != title.class_name else "",
                "nationality": row["nationality"],
                "team": row["team"],
                "team_record": written(title.team) if title.team is not None else None,
                "teams_champion": row["teams_champion"],
                "teams_champion_record": (
                    written(title.teams_champion) if title.teams_champion is not None else None
                ),
                "qualifier": qualifier(row["notes"]),
                "points": self.points(title.path, title.line, row.get("points", "")),
                "source": row["source"],
                "notes": row["notes"],
                "driver": driver,
            }
            self.save(
                title.path,
                title.line,
                title.counts,
                Champion,
                {
                    "series": title.owner,
                    "year": title.year,
                    "class_name": title.class_name,
                    "driver_name": title.name,
                },
                values,
                existing=champions,
            )
        driver_counts.rows = len(champion_drivers)
        self.counts.append(driver_counts)

    def title(
        self,
        path: Path,
        line: int,
        row: dict[str, str],
        counts: Counts,
        owner: Series | None,
        drivers: NameBook[Driver],
        teams: NameBook[Team],
    ) -> ChampionRow:
        """One row of the champions files read: its class spelled one way, its kind, and its
        driver and teams found or planned by name."""
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
        errors: list[str] = []
        driver = None
        if kind == TitleKind.TITLE and class_name != "Teams":
            driver = drivers.resolve(
                name, errors, name_original=original, nationality=row["nationality"]
            )
        team_name = team_of(row["team"])
        teams_champion_name = team_of(row["teams_champion"])
        team = teams.resolve(team_name, errors) if team_name else None
        teams_champion = teams.resolve(teams_champion_name, errors) if teams_champion_name else None
        if errors:
            raise DataError(path, line, f"{errors[0]}; name_choices.csv can answer it")
        return ChampionRow(
            path,
            line,
            row,
            counts,
            owner,
            year,
            class_name,
            kind,
            name,
            original,
            driver,
            team,
            teams_champion,
        )

    def complete_driver(self, driver: Driver, nationality: str, original: str) -> bool:
        """Fills a driver's nationality and name in its own script where they are blank."""
        changed = []
        if nationality and not driver.nationality:
            driver.nationality = nationality
            changed.append("nationality")
        if original and not driver.name_original:
            driver.name_original = original
            changed.append("name_original")
        if changed:
            save_fields(driver, changed)
            self.changed = True
        return bool(changed)

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
        without asking. `choice` is "create" or the slug of the known driver or team. Read once
        (the champions and the results both ask)."""
        if self._name_choices is not None:
            return self._name_choices
        choices: dict[str, str] = {}
        for path, line, row, _counts in self.rows(
            "name_choices.csv", ("kind", "name", "choice", "why")
        ):
            if row["kind"] not in ("driver", "team"):
                raise DataError(path, line, "kind: driver or team")
            choices[f"{row['kind']}:{row['name']}"] = row["choice"]
        self._name_choices = choices
        return choices

    def original_names(self) -> None:
        """drivers.csv: a driver's name in its own script (伊東黎明), set on the driver the
        results or champions files created under the romanized name (found as an import finds
        a name)."""
        drivers = NameBook(Driver)
        for path, line, row, counts in self.rows(
            "drivers.csv", ("name", "name_original", "source")
        ):
            driver = drivers.find(row["name"])
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
        # Drivers are found as an import finds a name (names.fold).
        entries = {
            (entry.season.series.slug, entry.season.year, fold(entry.driver.name)): entry
            for entry in Entry.objects.select_related("season__series", "driver")
        }
        seasons = {
            (season.series.slug, season.year): season
            for season in Season.objects.select_related("series")
        }
        drivers = NameBook(Driver)
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
                    "driver": drivers.find(row["driver"]),
                    "source": row["source"],
                },
                existing=published,
            )
            if row["row_complete"] not in ("yes", "no"):
                raise DataError(path, line, "row_complete: yes or no")
            if row["row_complete"] == "yes":
                complete_rows.add((row["series"], year, fold(row["driver"])))
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


@dataclass
class ChampionRow:
    """A row of the champions files, read, its names found (or planned) but not saved yet."""

    path: Path
    line: int
    row: dict[str, str]
    counts: Counts
    owner: Series
    year: int
    class_name: str
    kind: str | None
    name: str
    original: str
    driver: Driver | NewName[Driver] | None
    team: Team | NewName[Team] | None
    teams_champion: Team | NewName[Team] | None


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
