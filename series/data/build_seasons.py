"""Builds the shipped season files from the compiled facts, once; the output is committed.

    python series/data/build_seasons.py /work/shared/data/facts

reads `recent/calendar_<series>_<year>.csv` (2024–2026 calendars) and `partial-seasons/<season>/`
(older seasons: calendar, top rows of the published table, scoring) and writes, for each season,

- `seasons/<series>-<year>.toml`: the season in import_season format, defining the circuits and
  events it needs (circuits not already in circuits.csv; events with the dates as precise as the
  facts give them), its rounds (one per race where the races of a weekend are known, else one per
  weekend, which the round's description says), local start times where a timetable was read;
- `results/<series>-<year>.csv`: what is known of the classifications: each race winner that was
  read, and every cell of the published table's rows that were read (import_results format, with
  `--create-missing`); an unknown result has no line;
- `published_standings.csv`: the published points and positions of those rows, and whether each
  row was read complete (load_pyramid marks the entry's results complete or not from it).

The facts are messy: rounds without dates, weekends whose number of races was not read, winners
given per weekend. How each calendar row becomes events and rounds is written out by hand in
SEASONS below, next to the row it reads; everything the facts say about a row that is not
structured (its notes, INFERRED, CONFLICT, its sources) is carried into the round's or event's
private `notes`, and what a fan would be misled without goes into a public `description`.
A calendar row with no date at all cannot become an event (an event has dates): the season's
description lists it as "dates not on record". Nothing is invented: a race with no winner read
has no result.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Circuits the older files (circuits.csv) do not have. Name, place and country as the calendars
# print them; the IANA zone is ours, from the place.
NEW_CIRCUITS = {
    "barcelona": ("Circuit de Barcelona-Catalunya", "Montmeló", "Spain", "Europe/Madrid"),
    "hockenheim": ("Hockenheimring", "Hockenheim", "Germany", "Europe/Berlin"),
    "mexico-city": (
        "Autódromo Hermanos Rodríguez",
        "Mexico City",
        "Mexico",
        "America/Mexico_City",
    ),
    "oschersleben": ("Motorsport Arena Oschersleben", "Oschersleben", "Germany", "Europe/Berlin"),
    "nurburgring": ("Nürburgring", "Nürburg", "Germany", "Europe/Berlin"),
    "sachsenring": ("Sachsenring", "Hohenstein-Ernstthal", "Germany", "Europe/Berlin"),
    "norisring": ("Norisring", "Nuremberg", "Germany", "Europe/Berlin"),
    "lausitzring": ("Lausitzring", "Klettwitz", "Germany", "Europe/Berlin"),
    "le-mans": ("Circuit de la Sarthe", "Le Mans", "France", "Europe/Paris"),
    "dijon": ("Dijon-Prenois", "Prenois", "France", "Europe/Paris"),
    "magny-cours": ("Circuit de Nevers Magny-Cours", "Magny-Cours", "France", "Europe/Paris"),
    "nogaro": ("Circuit Paul Armagnac", "Nogaro", "France", "Europe/Paris"),
    "valencia": ("Circuit Ricardo Tormo", "Valencia", "Spain", "Europe/Madrid"),
    "portimao": ("Autódromo Internacional do Algarve", "Portimão", "Portugal", "Europe/Lisbon"),
    "mugello": ("Mugello Circuit", "Scarperia", "Italy", "Europe/Rome"),
    "misano": ("Misano World Circuit Marco Simoncelli", "Misano Adriatico", "Italy", "Europe/Rome"),
    "vallelunga": ("Vallelunga Circuit", "Campagnano di Roma", "Italy", "Europe/Rome"),
    "assen": ("TT Circuit Assen", "Assen", "Netherlands", "Europe/Amsterdam"),
    "zolder": ("Circuit Zolder", "Heusden-Zolder", "Belgium", "Europe/Brussels"),
    "anderstorp": ("Scandinavian Raceway", "Anderstorp", "Sweden", "Europe/Stockholm"),
    "mantorp": ("Mantorp Park", "Mantorp", "Sweden", "Europe/Stockholm"),
    "brands-hatch": ("Brands Hatch", "Kent", "Great Britain", "Europe/London"),
    "oulton-park": ("Oulton Park", "Cheshire", "Great Britain", "Europe/London"),
    "croft": ("Croft", "North Yorkshire", "Great Britain", "Europe/London"),
    "snetterton": ("Snetterton", "Norfolk", "Great Britain", "Europe/London"),
    "knockhill": ("Knockhill", "Fife", "Great Britain", "Europe/London"),
    "shanghai": ("Shanghai International Circuit", "Shanghai", "China", "Asia/Shanghai"),
    "zhuhai": ("Zhuhai International Circuit", "Zhuhai", "China", "Asia/Shanghai"),
    "suzuka": ("Suzuka Circuit", "Suzuka", "Japan", "Asia/Tokyo"),
    "fuji": ("Fuji Speedway", "Oyama", "Japan", "Asia/Tokyo"),
    "okayama": ("Okayama International Circuit", "Mimasaka", "Japan", "Asia/Tokyo"),
    "sugo": ("Sportsland SUGO", "Murata", "Japan", "Asia/Tokyo"),
    "motegi": ("Mobility Resort Motegi", "Motegi", "Japan", "Asia/Tokyo"),
    "chang": ("Chang International Circuit", "Buriram", "Thailand", "Asia/Bangkok"),
    "bangsaen": ("Bangsaen Street Circuit", "Chonburi", "Thailand", "Asia/Bangkok"),
    "sepang": ("Sepang International Circuit", "Sepang", "Malaysia", "Asia/Kuala_Lumpur"),
    "marina-bay": ("Marina Bay Street Circuit", "Singapore", "Singapore", "Asia/Singapore"),
    "mandalika": (
        "Pertamina Mandalika International Circuit",
        "Lombok",
        "Indonesia",
        "Asia/Makassar",
    ),
    "taupo": (
        "Taupo International Motorsport Park",
        "Taupō",
        "New Zealand",
        "Pacific/Auckland",
    ),
    "phillip-island": ("Phillip Island", "Phillip Island", "Australia", "Australia/Melbourne"),
    "sydney-motorsport-park": (
        "Sydney Motorsport Park",
        "Eastern Creek",
        "Australia",
        "Australia/Sydney",
    ),
    "queensland-raceway": ("Queensland Raceway", "Ipswich", "Australia", "Australia/Brisbane"),
    "townsville": (
        "Reid Park Street Circuit",
        "Townsville",
        "Australia",
        "Australia/Brisbane",
    ),
    "the-bend": ("The Bend Motorsport Park", "Tailem Bend", "Australia", "Australia/Adelaide"),
    "sandown": ("Sandown Raceway", "Melbourne", "Australia", "Australia/Melbourne"),
    "montreal": ("Circuit Gilles Villeneuve", "Montreal", "Canada", "America/Toronto"),
    "road-atlanta": (
        "Michelin Raceway Road Atlanta",
        "Braselton, Georgia",
        "USA",
        "America/New_York",
    ),
    "barber": ("Barber Motorsports Park", "Birmingham, Alabama", "USA", "America/Chicago"),
    "sonoma": ("Sonoma Raceway", "Sonoma, California", "USA", "America/Los_Angeles"),
    "vir": ("Virginia International Raceway", "Alton, Virginia", "USA", "America/New_York"),
}
# Already in circuits.csv (loaded before the seasons): referred to by slug, never redefined, so
# that the two files never fight over a circuit's name.
KNOWN_CIRCUITS = {
    "imola": "Imola",
    "monaco": "Monaco",
    "silverstone": "Silverstone",
    "red-bull-ring": "Red Bull Ring",
    "paul-ricard": "Paul Ricard",
    "spa-francorchamps": "Spa-Francorchamps",
    "zandvoort": "Zandvoort",
    "monza": "Monza",
    "hungaroring": "Hungaroring",
    "sebring": "Sebring",
    "long-beach": "Long Beach",
    "miami": "Miami",
    "watkins-glen": "Watkins Glen",
    "road-america": "Road America",
    "indianapolis-road-course": "Indianapolis",
    "circuit-of-the-americas": "COTA",
}
SHORT = {slug: value[0] for slug, value in NEW_CIRCUITS.items()} | KNOWN_CIRCUITS
SHORT |= {
    "barcelona": "Barcelona",
    "mexico-city": "Mexico City",
    "oschersleben": "Oschersleben",
    "le-mans": "Le Mans",
    "dijon": "Dijon",
    "magny-cours": "Magny-Cours",
    "nogaro": "Nogaro",
    "valencia": "Valencia",
    "portimao": "Portimão",
    "mugello": "Mugello",
    "misano": "Misano",
    "vallelunga": "Vallelunga",
    "assen": "Assen",
    "zolder": "Zolder",
    "anderstorp": "Anderstorp",
    "mantorp": "Mantorp Park",
    "shanghai": "Shanghai",
    "zhuhai": "Zhuhai",
    "suzuka": "Suzuka",
    "fuji": "Fuji",
    "okayama": "Okayama",
    "sugo": "SUGO",
    "motegi": "Motegi",
    "chang": "Buriram",
    "bangsaen": "Bangsaen",
    "sepang": "Sepang",
    "marina-bay": "Singapore",
    "mandalika": "Mandalika",
    "taupo": "Taupō",
    "sydney-motorsport-park": "Sydney",
    "queensland-raceway": "Queensland Raceway",
    "townsville": "Townsville",
    "the-bend": "The Bend",
    "sandown": "Sandown",
    "montreal": "Montreal",
    "road-atlanta": "Road Atlanta",
    "barber": "Barber",
    "sonoma": "Sonoma",
    "vir": "VIR",
}

# Series slugs of the facts that the pyramid (series.csv) knows under the older name.
SERIES_SLUG = {
    "sprint-challenge-australia": "gt3-cup-challenge-australia",
    "sprint-challenge-north-america": "gt3-cup-challenge-usa",
}
# One person, printed two ways: the name the record already uses (champions.csv) wins, so that a
# career is one driver. Dan Cammish: GB champion 2015, 2016 and 2021 as "Dan Cammish", the 2017
# Supercup table prints "Daniel Cammish" (danielcammish.com is his own site).
SAME_PERSON = {"Daniel Cammish": "Dan Cammish"}
# Romanized name -> name in its own script, where the facts give one.
ORIGINAL_NAMES = {
    "Reimei Ito": "伊東黎明",
    "Ryoma Henzan": "平安山良馬",
    "Kazuhisa Urabe": "卜部和久",
    "Iori Kimura": "木村偉織",
    "Taichi Watarai": "渡会太一",
}

SCALE_25 = [25, 20, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
CAR_992 = ("911 GT3 Cup (type 992)", "992-1")
CAR_992_2 = ("911 Cup (type 992.2)", "992-2")


@dataclass
class Race:
    number: int
    day: str = ""  # the race day where it was read (ISO)
    winner: str = ""
    inferred: bool = False  # the winner is INFERRED in the facts: said so publicly
    starts_at: str = ""  # local time at the circuit, as printed ("16:35")
    description: str = ""
    podium: list[str] = field(default_factory=list)  # 1st, 2nd, 3rd where read (winner: 1st)


@dataclass
class Weekend:
    row: int | list[int]  # calendar rows (0 = first data row) whose notes and sources it carries
    circuit: str
    start: str = ""  # ISO dates of the weekend; a month ("2024-05") when only the month is known
    end: str = ""
    races: list[Race] = field(default_factory=list)
    races_known: bool = True  # False: one round stands for a weekend whose races were not read
    supports: str | None = None  # default: the row's `supports`
    description: str = ""
    name: str = ""  # round name stem; default the circuit's short name


@dataclass
class SeasonSpec:
    series: str
    year: int
    calendar: str  # path under facts/
    name: str
    car: tuple[str, str] | None
    weekends: list[Weekend]
    scale: list[int] | None = None
    scoring_notes: str = ""
    pole: int = 0
    fastest_lap: int = 0
    classes: list[str] = field(default_factory=list)
    description: str = ""
    unplaced: list[int] = field(default_factory=list)  # rows with no date: listed, not events
    standings: str = ""  # partial-seasons/<season>/ whose table rows are imported
    results_note: str = ""
    guest_rows: dict[str, list[int]] = field(default_factory=dict)  # driver -> guest races only


def R(number, winner="", **kwargs) -> Race:  # noqa: N802 - reads as a table below
    return Race(number, winner=winner, **kwargs)


def races(first: int, count: int) -> list[Race]:
    return [Race(n) for n in range(first, first + count)]


def W(row, circuit, start="", end="", race_list=None, **kwargs) -> Weekend:  # noqa: N802
    return Weekend(row, circuit, start, end, race_list or [], **kwargs)


def one(row, circuit, start, end, number, **kwargs) -> Weekend:
    """A weekend whose number of races was not read: one round stands for it."""
    return Weekend(row, circuit, start, end, [Race(number)], races_known=False, **kwargs)


SEASONS: list[SeasonSpec] = []


def season(*args, **kwargs) -> None:
    SEASONS.append(SeasonSpec(*args, **kwargs))


# --- 2024–2026 (recent/) -------------------------------------------------------------------------

season(
    "supercup",
    2024,
    "recent/calendar_supercup_2024.csv",
    "2024 Porsche Mobil 1 Supercup",
    CAR_992,
    [
        W(0, "imola", "2024-05-19", "2024-05-19", [R(1, "Larry ten Voorde", day="2024-05-19")]),
        W(1, "monaco", "2024-05-26", "2024-05-26", [R(2, "Larry ten Voorde", day="2024-05-26")]),
        W(2, "red-bull-ring", "2024-06", "", [R(3, "Larry ten Voorde")]),
        W(
            3,
            "silverstone",
            "2024-07-07",
            "2024-07-07",
            [R(4, "Larry ten Voorde", day="2024-07-07")],
        ),
        W(6, "zandvoort", "2024-08", "", [R(7, "Larry ten Voorde")]),
        W(
            7,
            "monza",
            "2024-09-01",
            "2024-09-01",
            [
                R(
                    8,
                    "Alessandro Ghiretti",
                    day="2024-09-01",
                    inferred=True,
                    description="Winner inferred from race reports (Ghiretti led from lap 6); "
                    "not read in a results table.",
                )
            ],
        ),
    ],
    scale=SCALE_25,
    scoring_notes="25-20-17-14-12-10-9-8-7-6-5-4-3-2-1 to the top 15 (series_facts.csv: "
    "en.wikipedia.org/wiki/2024_Porsche_Supercup); guests score no points, theirs pass down "
    "(partial-seasons/supercup-2024/scoring.json).",
    description="Larry ten Voorde is the 2024 champion, 23 points ahead of Harry King and 47 ahead "
    "of Marvin Klein (published totals not on record). Race winners as reported; the "
    "classifications are not on record. Rounds 5 (Hungaroring, won by Harry King) and 6 "
    "(Spa-Francorchamps, won by Marvin Klein) are not dated in the sources read.",
    unplaced=[4, 5],
    standings="supercup-2024",
    results_note="Winners only: the winner of each dated race as reported (race 8's is inferred "
    "from race reports). No other result is known, so no standings can be computed.",
)
season(
    "supercup",
    2025,
    "recent/calendar_supercup_2025.csv",
    "2025 Porsche Mobil 1 Supercup",
    CAR_992,
    [
        W(0, "imola", "2025-05-16", "2025-05-18", [R(1, "Theo Oeverhaus", day="2025-05-18")]),
        W(
            1,
            "monaco",
            "2025-05-22",
            "2025-05-25",
            [
                R(
                    2,
                    "Robert de Haan",
                    day="2025-05-25",
                    description="Half points: a first-lap accident left four racing laps.",
                )
            ],
        ),
        W(
            2,
            "barcelona",
            "2025-05-30",
            "2025-06-01",
            [R(3, "Alessandro Ghiretti", day="2025-06-01")],
        ),
        W(3, "red-bull-ring", "2025-06-27", "2025-06-29", [R(4, "Marvin Klein", day="2025-06-29")]),
        W(
            4,
            "spa-francorchamps",
            "2025-07-25",
            "2025-07-27",
            [
                R(
                    5,
                    "Alessandro Ghiretti",
                    description="Race day not certain: Saturday per one preview, Sunday 27 "
                    "July per the provisional calendar.",
                )
            ],
        ),
        W(5, "hungaroring", "2025-08-01", "2025-08-03", [R(6, "Mathys Jaubert", day="2025-08-03")]),
        W(
            6,
            "zandvoort",
            "2025-08-29",
            "2025-08-31",
            [R(7, "Alessandro Ghiretti", day="2025-08-31")],
        ),
        W(7, "monza", "2025-09-05", "2025-09-07", [R(8, "Wouter Boerekamps", day="2025-09-07")]),
    ],
    scale=SCALE_25,
    scoring_notes="25-20-17-14-12-10-9-8-7-6-5-4-3-2-1 to the top 15, same scale as 2024 "
    "(wikimili.com/en/2025_Porsche_Supercup via partial-seasons/supercup-2025); half points at "
    "Monaco (round 2); guests' points pass down.",
    description="Alessandro Ghiretti is the 2025 champion. Race winners as reported; the "
    "classifications are not on record.",
    results_note="Winners only: the winner of each race as reported. No other result is known, "
    "so no standings can be computed.",
)
season(
    "supercup",
    2026,
    "recent/calendar_supercup_2026.csv",
    "2026 Porsche Mobil 1 Supercup",
    CAR_992_2,
    [
        W(0, "monaco", "2026-06-04", "2026-06-06", races(1, 1)),
        W(1, "barcelona", "2026-06-12", "2026-06-14", races(2, 1)),
        W(2, "red-bull-ring", "2026-06-26", "2026-06-28", races(3, 1)),
        W(3, "spa-francorchamps", "2026-07-17", "2026-07-19", races(4, 1)),
        W(4, "hungaroring", "2026-07-24", "2026-07-26", races(5, 1)),
        W(5, "zandvoort", "2026-08-21", "2026-08-23", races(6, 1)),
        W(7, "monza", "2026-09-04", "2026-09-06", races(8, 1)),
    ],
    scale=SCALE_25,
    scoring_notes="25-20-17-14-12-10-9-8-7-6-5-4-3-2-1 to the top 15 "
    "(en.wikipedia.org/wiki/2026_Porsche_Supercup, series_facts.csv).",
    description="Eight races, all supporting Formula 1; round 7's venue and date are not on "
    "record. The first Supercup season of the 911 Cup (992.2). No results are on record yet.",
    unplaced=[6],
)

GERMANY_NOTES = (
    "Scale of 2024–2025 not read in the sources compiled (the finale: 'up to 25 points each', "
    "motorsport-xl.de): no scale is entered, so no points are computed."
)
season(
    "carrera-cup-germany",
    2024,
    "recent/calendar_carrera-cup-germany_2024.csv",
    "2024 Porsche Carrera Cup Deutschland",
    CAR_992,
    [
        W(0, "imola", "2024-04-19", "2024-04-21", races(1, 2)),
        W(1, "oschersleben", "2024-04-26", "2024-04-28", races(3, 2)),
        W(2, "zandvoort", "2024-06-07", "2024-06-09", races(5, 2)),
        W(
            3,
            "hungaroring",
            "2024-06-21",
            "2024-06-23",
            [R(7, "Marvin Klein"), R(8, "Kas Haverkort")],
        ),
        W(4, "nurburgring", "2024-08-16", "2024-08-18", races(9, 2)),
        W(
            5,
            "sachsenring",
            "2024-09-06",
            "2024-09-08",
            races(11, 2),
            description="Theo Oeverhaus won one of the two races (his first Carrera Cup win); "
            "which one is not on record.",
        ),
        W(6, "red-bull-ring", "2024-09-27", "2024-09-29", races(13, 2)),
        W(7, "hockenheim", "2024-10-18", "2024-10-20", races(15, 2)),
    ],
    scoring_notes=GERMANY_NOTES,
    description="Sixteen races at eight weekends. Winners are on record for races 7 and 8 only.",
    results_note="Winners of races 7 and 8 only; no other result is known.",
)
season(
    "carrera-cup-germany",
    2025,
    "recent/calendar_carrera-cup-germany_2025.csv",
    "2025 Porsche Carrera Cup Deutschland",
    CAR_992,
    [
        W(0, "imola", "2025-04-18", "2025-04-20", races(1, 2)),
        W(
            1,
            "spa-francorchamps",
            "2025-05-08",
            "2025-05-09",
            races(3, 2),
            description="Flynt Schuring won the Saturday race and Alessandro Ghiretti the other; "
            "the order of the two is not certain.",
        ),
        W(2, "zandvoort", "2025-06-06", "2025-06-08", races(5, 2)),
        W(3, "norisring", "2025-07-04", "2025-07-06", races(7, 2)),
        W(
            4,
            "nurburgring",
            "2025-08-08",
            "2025-08-10",
            races(9, 2),
            description="Alessandro Ghiretti won one of the two races (his third win of 2025).",
        ),
        W(5, "sachsenring", "2025-08-22", "2025-08-24", races(11, 2)),
        W(6, "red-bull-ring", "2025-09-12", "2025-09-14", races(13, 2)),
        W(7, "hockenheim", "2025-10", "", races(15, 2)),
    ],
    scoring_notes=GERMANY_NOTES,
    description="Sixteen races of 30 minutes at eight weekends; no race-by-race results are on "
    "record.",
)
NO_SCALE = (
    "Points scale not read in the sources compiled: none is entered, so no points are computed."
)
season(
    "carrera-cup-france",
    2024,
    "recent/calendar_carrera-cup-france_2024.csv",
    "2024 Porsche Carrera Cup France",
    CAR_992,
    [
        W(0, "barcelona", "2024-04", "", races(1, 2)),
        W(1, "paul-ricard", "2024-05", "", races(3, 2)),
        W(2, "spa-francorchamps", "2024-06-21", "2024-06-23", races(5, 2)),
        W(
            3,
            "dijon",
            "2024-09-13",
            "2024-09-15",
            [R(7, "Alessandro Ghiretti"), R(8, "Alessandro Ghiretti")],
        ),
        W(4, "mugello", "2024-09-27", "2024-09-29", races(9, 2)),
        W(
            5,
            "portimao",
            "2024-10-17",
            "2024-10-19",
            [
                R(11, "Alessandro Ghiretti"),
                R(
                    12,
                    "Alessandro Ghiretti",
                    inferred=True,
                    description="Winner inferred from a race report ('took the lead … new "
                    "hat-trick'), not read in a results table.",
                ),
            ],
        ),
    ],
    scoring_notes=NO_SCALE,
    description="Two races per weekend. Winners are on record for the Dijon and Portimão "
    "weekends only; Alessandro Ghiretti is the champion.",
    results_note="Winners of races 7, 8, 11 and 12 only (race 12's is inferred); no other "
    "result is known.",
)
season(
    "carrera-cup-france",
    2025,
    "recent/calendar_carrera-cup-france_2025.csv",
    "2025 Porsche Carrera Cup France",
    CAR_992,
    [
        W(0, "barcelona", "2025-04-04", "2025-04-06", races(1, 2)),
        W(1, "dijon", "2025-05-09", "2025-05-11", races(3, 2)),
    ],
    scoring_notes=NO_SCALE,
    description="Only the first two weekends are on record, and the finale at Paul Ricard, "
    "where Marvin Klein won race 1 (its date and round number are not on record). Marcus Amand "
    "is the champion.",
    unplaced=[2],
)
season(
    "carrera-cup-france",
    2026,
    "recent/calendar_carrera-cup-france_2026.csv",
    "2026 Porsche Carrera Cup France",
    None,
    [
        one(0, "barcelona", "2026-04-10", "2026-04-12", 1),
        one(1, "dijon", "2026-05-15", "2026-05-17", 2),
        one(2, "spa-francorchamps", "2026-06-19", "2026-06-21", 3),
        one(3, "magny-cours", "2026-07-31", "2026-08-02", 4),
        one(4, "zandvoort", "2026-09-18", "2026-09-20", 5),
        one(5, "paul-ricard", "2026-10-09", "2026-10-11", 6),
    ],
    scoring_notes=NO_SCALE,
    description="The 2026 calendar as announced in September 2025; no results are on record.",
)
season(
    "carrera-cup-great-britain",
    2024,
    "recent/calendar_carrera-cup-great-britain_2024.csv",
    "2024 Porsche Carrera Cup Great Britain",
    CAR_992,
    [],
    scoring_notes=NO_SCALE,
    description="No date of the 2024 calendar is on record. Known: the opener at Donington Park "
    "(National), where only one race ran (won by Will Martin) before rain closed the track; "
    "rounds at Brands Hatch, Croft, Knockhill and a later Donington Park event; the wet finale "
    "at Brands Hatch, where George Gamble became champion by 7 points.",
    unplaced=[0, 1, 2, 3, 4, 5],
)
season(
    "carrera-cup-great-britain",
    2025,
    "recent/calendar_carrera-cup-great-britain_2025.csv",
    "2025 Porsche Carrera Cup Great Britain",
    CAR_992,
    [],
    scoring_notes=NO_SCALE,
    description="Only the opener at Donington Park is on record, without its date.",
    unplaced=[0],
)
AUSTRALIA_NOTES = (
    NO_SCALE + " Three races per weekend: read for 2024 rounds 4 and 7 and 2025 rounds 1 and 6 "
    "('all three races'); the other weekends' races were not read, so each is one round."
)
season(
    "carrera-cup-australia",
    2024,
    "recent/calendar_carrera-cup-australia_2024.csv",
    "2024 Porsche Carrera Cup Australia",
    CAR_992,
    [
        one(
            1,
            "taupo",
            "2024-04-19",
            "2024-04-21",
            2,
            description="Round 2 of 8: the round was won by David Russell (round winner; the race "
            "results are not on record). The series' second visit outside Australia.",
        ),
    ],
    scoring_notes=AUSTRALIA_NOTES,
    description="Eight rounds supporting Supercars and the F1 Australian Grand Prix; only the "
    "Taupō round's dates are on record. Without dates: Albert Park (round 1), Darwin (round 3, "
    "won by Harri Jones), Sydney (round 4, July, Harri Jones won all three races), Sandown "
    "(round 5, September), Bathurst (round 6), Surfers Paradise (round 7, October, Bayley Hall "
    "won all three races) and the Adelaide finale. Harri Jones (Pro) and Adrian Flack (Pro-Am) "
    "are the champions.",
    unplaced=[0, 2, 3, 4, 5, 6, 7],
)
season(
    "carrera-cup-australia",
    2025,
    "recent/calendar_carrera-cup-australia_2025.csv",
    "2025 Porsche Carrera Cup Australia",
    CAR_992,
    [one(3, "queensland-raceway", "2025-08-08", "2025-08-10", 4)],
    scoring_notes=AUSTRALIA_NOTES,
    description="Eight rounds; only Queensland Raceway's dates are on record (round 4, the "
    "first visit since 2008). Without dates: Sydney (round 1, late February, Harri Jones won "
    "all three races under lights), Albert Park (round 2), Darwin (round 3), The Bend (round "
    "5), Bathurst (round 6, David Russell won all three races), Surfers Paradise (round 7) and "
    "the Adelaide finale in November.",
    unplaced=[0, 1, 2, 4, 5, 6, 7],
)
ASIA_SCALE = (
    "25-20-17-14-12-10-9-8-7-6-5-4-3-2-1 with a point each for pole and fastest lap "
    "(pinocchiopedia.com/wiki/2024_Porsche_Carrera_Cup_Asia, "
    "partial-seasons/carrera-cup-asia-2024); "
    "the pole and fastest-lap marks of the table were not readable."
)
season(
    "carrera-cup-asia",
    2024,
    "recent/calendar_carrera-cup-asia_2024.csv",
    "2024 Porsche Carrera Cup Asia",
    CAR_992,
    [
        W(0, "shanghai", "2024-04-19", "2024-04-21", races(1, 2)),
        W(1, "suzuka", "2024-05-10", "2024-05-12", races(3, 2)),
        W(2, "chang", "2024-06-14", "2024-06-15", races(5, 2)),
        W(3, "bangsaen", "2024-07-05", "2024-07-07", races(7, 2)),
        W(4, "sepang", "2024-08-09", "2024-08-11", races(9, 3)),
        W(5, "marina-bay", "2024-09-20", "2024-09-22", races(12, 2)),
        W(6, "shanghai", "2024-10-25", "2024-10-27", races(14, 3)),
    ],
    scale=SCALE_25,
    pole=1,
    fastest_lap=1,
    scoring_notes=ASIA_SCALE,
    classes=["Pro", "Pro-Am", "Am"],
    description="Sixteen races at seven weekends. The rows of the top three of the published "
    "table are on record; Alessandro Ghiretti is the champion.",
    standings="carrera-cup-asia-2024",
    results_note="The rows of the published table's top three (Ghiretti, Pereira, Jaubert) are "
    "complete; Martin Ragginger's is known to race 7. Pole and fastest-lap points were not "
    "readable, so the computed totals fall short of the published 308, 268 and 249.",
)
season(
    "carrera-cup-asia",
    2025,
    "recent/calendar_carrera-cup-asia_2025.csv",
    "2025 Porsche Carrera Cup Asia",
    CAR_992,
    [
        W(0, "shanghai", "2025-03-21", "2025-03-23", [R(1, "Enzo Trulli"), R(2, "Dylan Pereira")]),
        W(1, "motegi", "2025-04-18", "2025-04-20", [R(3, "Dylan Pereira"), R(4, "Dylan Pereira")]),
        W(
            2,
            "sepang",
            "2025-06-06",
            "2025-06-08",
            races(5, 3),
            description="Three races including the first Endurance race, won by Dylan Pereira "
            "(which of the three it was is not on record).",
        ),
        W(3, "bangsaen", "2025-07-04", "2025-07-06", races(8, 2)),
        W(
            4,
            "mandalika",
            "2025-08-22",
            "2025-08-24",
            races(10, 3),
            description="Three races; Dylan Pereira won the Endurance race and clinched the "
            "title here.",
        ),
        W(
            5,
            "marina-bay",
            "2025-10-03",
            "2025-10-05",
            [R(13, "Dylan Pereira"), R(14, "Dylan Pereira")],
        ),
    ],
    scoring_notes="Scale of 2025 not read; the 2024 scale is not assumed. " + NO_SCALE,
    description="Fourteen races at six weekends; Dylan Pereira won 11 of them and the title.",
    results_note="Winners of races 1–4, 13 and 14 only; no other result is known.",
)
season(
    "carrera-cup-asia",
    2026,
    "recent/calendar_carrera-cup-asia_2026.csv",
    "2026 Porsche Carrera Cup Asia",
    CAR_992_2,
    [
        W(0, "shanghai", "2026-03-14", "2026-03-15", [R(1, "Naquib Azlan"), R(2)]),
        W(1, "zhuhai", "2026-04-11", "2026-04-12", races(3, 2)),
        W(2, "fuji", "2026-05-09", "2026-05-10", races(5, 2)),
        W(
            3,
            "bangsaen",
            "2026-07-04",
            "2026-07-05",
            races(7, 2),
            description="Venue not certain: the provisional calendar named Chang International "
            "Circuit (3–5 July).",
        ),
        W(4, "sepang", "2026-08-22", "2026-08-23", races(9, 3)),
        W(5, "marina-bay", "2026-10-10", "2026-10-11", races(12, 2)),
    ],
    scoring_notes=NO_SCALE,
    description="The 2026 calendar (provisional in the sources); the first season of the 911 Cup "
    "(992.2). Only race 1's winner is on record.",
    results_note="Winner of race 1 only.",
)
JAPAN_NOTES = NO_SCALE + " Start times as printed (JST) are the formation laps."
season(
    "carrera-cup-japan",
    2024,
    "recent/calendar_carrera-cup-japan_2024.csv",
    "2024 Porsche Carrera Cup Japan",
    CAR_992,
    [
        W(0, "suzuka", "2024-04-06", "2024-04-07", [R(1, "Reimei Ito")]),
        W(1, "fuji", "2024-05-03", "2024-05-04", [R(2, "Reimei Ito"), R(3, "Reimei Ito")]),
        W(2, "okayama", "2024-06-29", "2024-06-30", [R(4, "Reimei Ito"), R(5, "Reimei Ito")]),
        W(
            3,
            "fuji",
            "2024-07-20",
            "2024-07-21",
            [R(6, "Reimei Ito", day="2024-07-20", starts_at="16:35"), R(7, "Reimei Ito")],
        ),
        W(
            4,
            "fuji",
            "2024-08-03",
            "2024-08-04",
            [
                R(8, "Reimei Ito", day="2024-08-03", starts_at="16:40"),
                R(
                    9,
                    "Reimei Ito",
                    day="2024-08-04",
                    starts_at="10:00",
                    description="The 'Michelin Challenge' race: red-flagged and shortened.",
                ),
            ],
        ),
        W(
            5,
            "sugo",
            "2024-11-09",
            "2024-11-10",
            [
                R(10, "Reimei Ito", day="2024-11-09", starts_at="13:45"),
                R(11, "Ryoma Henzan", day="2024-11-10", starts_at="11:45"),
            ],
        ),
    ],
    scoring_notes=JAPAN_NOTES,
    description="Eleven races at six weekends; Reimei Ito won the first ten and the title.",
    results_note="Winners of all eleven races; no other result is known.",
)
season(
    "carrera-cup-japan",
    2025,
    "recent/calendar_carrera-cup-japan_2025.csv",
    "2025 Porsche Carrera Cup Japan",
    CAR_992,
    [
        W(
            0,
            "suzuka",
            "2025-04-05",
            "2025-04-06",
            [R(1, "Kazuhisa Urabe", day="2025-04-05", starts_at="17:00"), R(2, "Iori Kimura")],
        ),
        W(1, "okayama", "2025-05-24", "2025-05-25", races(3, 3)),
        W(2, "fuji", "2025-07-19", "2025-07-20", races(6, 2)),
        W(3, "sugo", "2025-08-09", "2025-08-10", races(8, 2)),
        W(
            4,
            "fuji",
            "2025-09-26",
            "2025-09-27",
            [
                R(10, "Taichi Watarai", day="2025-09-27", starts_at="11:15"),
                R(11, day="2025-09-27"),
            ],
        ),
    ],
    scoring_notes=JAPAN_NOTES,
    description="Eleven races at five weekends; Iori Kimura is the champion.",
    results_note="Winners of races 1, 2 and 10 only; no other result is known.",
)
season(
    "carrera-cup-japan",
    2026,
    "recent/calendar_carrera-cup-japan_2026.csv",
    "2026 Porsche Carrera Cup Japan",
    None,
    [one(0, "suzuka", "2026-03-27", "2026-03-29", 1)],
    scoring_notes=NO_SCALE,
    description="Only the opening weekend at Suzuka is on record; from 2026 the series is run by "
    "Porsche Motorsport Asia Pacific.",
)
ITALIA_NOTES = NO_SCALE + " Two races per weekend (6 rounds, 12 races: series_facts.csv)."
season(
    "carrera-cup-italia",
    2024,
    "recent/calendar_carrera-cup-italia_2024.csv",
    "2024 Porsche Carrera Cup Italia",
    CAR_992,
    [
        W(0, "misano", "2024-05-03", "2024-05-05", races(1, 2)),
        W(1, "imola", "2024-05-31", "2024-06-02", races(3, 2)),
        W(2, "mugello", "2024-07-12", "2024-07-14", races(5, 2)),
        W(3, "imola", "2024-09-06", "2024-09-08", races(7, 2)),
        W(4, "vallelunga", "2024-09-20", "2024-09-22", races(9, 2)),
        W(5, "monza", "2024-10-04", "2024-10-06", races(11, 2)),
    ],
    scoring_notes=ITALIA_NOTES,
    description="Twelve races at six weekends; no results are on record.",
)
season(
    "carrera-cup-italia",
    2025,
    "recent/calendar_carrera-cup-italia_2025.csv",
    "2025 Porsche Carrera Cup Italia",
    CAR_992,
    [
        W(0, "misano", "2025-05-02", "2025-05-04", races(1, 2)),
        W(1, "vallelunga", "2025-06-06", "2025-06-08", races(3, 2)),
        W(2, "mugello", "2025-07-11", "2025-07-13", races(5, 2)),
        W(3, "imola", "2025-09-26", "2025-09-28", races(7, 2)),
        W(4, "misano", "2025-10-10", "2025-10-12", races(9, 2)),
        W(5, "monza", "2025-10-24", "2025-10-26", [R(11), R(12, "Keagan Masters")]),
    ],
    scoring_notes=ITALIA_NOTES,
    description="Twelve races at six weekends; only the last race's winner is on record.",
    results_note="Winner of race 12 only.",
)
season(
    "carrera-cup-italia",
    2026,
    "recent/calendar_carrera-cup-italia_2026.csv",
    "2026 Porsche Carrera Cup Italia",
    None,
    [
        W(0, "imola", "2026-04-24", "2026-04-26", races(1, 2)),
        W(1, "misano", "2026-05", "", races(3, 2)),
        W(2, "monza", "2026-06", "", races(5, 2)),
        W(3, "vallelunga", "2026-07", "", races(7, 2)),
        W(4, "misano", "2026-09-18", "2026-09-20", races(9, 2)),
        W(5, "mugello", "2026-10-23", "2026-10-25", races(11, 2)),
    ],
    scoring_notes=ITALIA_NOTES,
    description="The 20th season: twelve races at six weekends (three known only to the month). "
    "No results are on record yet.",
)
season(
    "carrera-cup-scandinavia",
    2024,
    "recent/calendar_carrera-cup-scandinavia_2024.csv",
    "2024 Porsche Carrera Cup Scandinavia",
    CAR_992,
    [
        one(0, "anderstorp", "2024-05-03", "2024-05-04", 1, name="Anderstorp (opener)"),
        one(
            3,
            "mantorp",
            "2024-09-21",
            "2024-09-22",
            2,
            name="Mantorp Park (finale)",
            description="The finale. Marcus Annervi won heat 1 after Daniel Roos, first on the "
            "road, was penalised; Lukas Sundahl became champion. Its round number is not on "
            "record: numbered here after the opener.",
        ),
    ],
    scoring_notes=NO_SCALE,
    description="The 21st season. Only the opener and the finale have dates on record; the "
    "series also raced at FDM Jyllandsringen and Gelleråsen Arena (Karlskoga), dates not on "
    "record. Lukas Sundahl is the champion.",
    unplaced=[1, 2],
)
NA_NOTES = NO_SCALE + " Two races per weekend (16 races: en.wikipedia.org)."
season(
    "carrera-cup-north-america",
    2024,
    "recent/calendar_carrera-cup-north-america_2024.csv",
    "2024 Porsche Carrera Cup North America",
    CAR_992,
    [
        W(0, "sebring", "2024-03-13", "2024-03-15", races(1, 2)),
        W(1, "miami", "2024-05-03", "2024-05-05", [R(3), R(4, "Zachary Vanier")]),
        W(
            2,
            "montreal",
            "2024-06-07",
            "2024-06-09",
            races(5, 2),
            description="Yves Baltas won one of the two races, in the wet (his first series win).",
        ),
        W(
            3,
            "watkins-glen",
            "2024-06-20",
            "2024-06-22",
            [
                Race(7, day="2024-06-21", starts_at="16:20"),
                Race(8, day="2024-06-22", starts_at="11:00"),
            ],
        ),
        W(4, "road-america", "2024-08-02", "2024-08-04", races(9, 2)),
        W(5, "indianapolis-road-course", "2024-09-20", "2024-09-22", races(11, 2)),
        W(6, "road-atlanta", "2024-10-09", "2024-10-11", races(13, 2)),
        W(
            7,
            "circuit-of-the-americas",
            "2024-10-18",
            "2024-10-20",
            [Race(15, day="2024-10-19"), Race(16, day="2024-10-20")],
        ),
    ],
    scoring_notes=NA_NOTES,
    classes=["Pro", "Pro-Am", "Masters"],
    description="Sixteen races at eight weekends, three of them supporting Formula 1 (Miami, "
    "Montreal, Austin).",
    results_note="Winner of race 4 only; no other result is known.",
)
season(
    "carrera-cup-north-america",
    2025,
    "recent/calendar_carrera-cup-north-america_2025.csv",
    "2025 Porsche Carrera Cup North America",
    CAR_992,
    [
        W(0, "sebring", "2025-03-12", "2025-03-15", races(1, 2)),
        W(
            1,
            "miami",
            "2025-05-02",
            "2025-05-04",
            [
                R(3, "Yves Baltas", day="2025-05-03"),
                Race(4, day="2025-05-04", starts_at="10:15"),
            ],
        ),
        W(
            2,
            "montreal",
            "2025-06-13",
            "2025-06-15",
            races(5, 2),
            description="Ryan Yardley won one of the two races (his first win of 2025).",
        ),
        W(3, "watkins-glen", "2025-06-19", "2025-06-22", races(7, 2)),
        W(4, "road-america", "2025-07-31", "2025-08-01", races(9, 2)),
        W(5, "indianapolis-road-course", "2025-09-19", "2025-09-21", races(11, 2)),
        W(6, "road-atlanta", "2025-10-08", "2025-10-11", races(13, 2)),
        W(7, "circuit-of-the-americas", "2025-10-17", "2025-10-19", races(15, 2)),
    ],
    scoring_notes=NA_NOTES,
    description="Sixteen races at eight weekends; the calendar was unchanged from 2024.",
    results_note="Winner of race 3 only; no other result is known.",
)
season(
    "carrera-cup-north-america",
    2026,
    "recent/calendar_carrera-cup-north-america_2026.csv",
    "2026 Porsche Carrera Cup North America",
    CAR_992_2,
    [
        W(0, "sebring", "2026-03-18", "2026-03-20", races(1, 2)),
        W(1, "long-beach", "2026-04-17", "2026-04-19", races(3, 2)),
        W(2, "miami", "2026-05-01", "2026-05-03", races(5, 2)),
        W(3, "watkins-glen", "2026-06-25", "2026-06-27", races(7, 2)),
        W(4, "road-america", "2026-07-30", "2026-08-01", races(9, 2)),
        W(5, "indianapolis-road-course", "2026-09-17", "2026-09-19", races(11, 2)),
        W(6, "road-atlanta", "2026-09-30", "2026-10-02", races(13, 2)),
        W(7, "circuit-of-the-americas", "2026-10-23", "2026-10-25", races(15, 2)),
    ],
    scoring_notes=NA_NOTES + " Two races per weekend assumed as in 2021–2025.",
    description="The 2026 calendar (released 20 October 2025); the first season of the 911 Cup "
    "(992.2). No results are on record yet.",
)
season(
    "carrera-cup-benelux",
    2024,
    "recent/calendar_carrera-cup-benelux_2024.csv",
    "2024 Porsche Carrera Cup Benelux",
    CAR_992,
    [
        W(0, "spa-francorchamps", "2024-05", "", races(1, 2)),
        W(
            4,
            "zolder",
            "2024-10",
            "",
            [R(11, "Paul Meijer", inferred=True), R(12, "Kalle Rovanperä", inferred=True)],
            description="The sixth and deciding round. Which race each won is inferred from "
            "the order of the report ('respectively').",
        ),
    ],
    scoring_notes=NO_SCALE,
    description="Six rounds of two races. The opener at Spa (May) and the Zolder finale "
    "(October) are on record; rounds at Zandvoort (7–9 June, with the DTM), Assen (early "
    "August; Larry ten Voorde won the Saturday race as a guest) and the Red Bull Ring (13–15 "
    "September) are too, without their round numbers. Dirk Schouten is the champion.",
    unplaced=[1, 2, 3],
    results_note="Winners of races 11 and 12 only (their order inferred).",
)
season(
    "carrera-cup-benelux",
    2025,
    "recent/calendar_carrera-cup-benelux_2025.csv",
    "2025 Porsche Carrera Cup Benelux",
    CAR_992,
    [
        W(
            0,
            "spa-francorchamps",
            "2025-05",
            "",
            races(1, 2),
            description="Robin Knutsson and Bertrand Baguette won one race each; which won which "
            "is not on record.",
        ),
        W(1, "assen", "2025-08-07", "2025-08-10", races(7, 2)),
        W(
            2,
            "zolder",
            "2025-09",
            "",
            races(9, 2),
            description="Jaap van Lagen and Sam Jongejan won one race each; Team RaceArt clinched "
            "the teams' title. Round number not on record: numbered here after Assen.",
        ),
    ],
    scoring_notes=NO_SCALE,
    description="Rounds on record: Spa (May), Assen (the fourth meeting, races 7–8) and Zolder "
    "(mid-September); the finale at Zandvoort (late September, inferred) is not dated.",
    unplaced=[3],
)
season(
    "gt3-cup-challenge-australia",
    2025,
    "recent/calendar_sprint-challenge-australia_2025.csv",
    "2025 Porsche Michelin Sprint Challenge Australia",
    None,
    [
        one(0, "phillip-island", "2025-04-04", "2025-04-06", 1),
        one(1, "sydney-motorsport-park", "2025-05-02", "2025-05-04", 2),
        one(2, "queensland-raceway", "2025-05-30", "2025-06-01", 3),
        one(3, "townsville", "2025-07-11", "2025-07-13", 4),
        one(4, "the-bend", "2025-09-05", "2025-09-06", 5),
        one(5, "sandown", "2025-11-13", "2025-11-15", 6),
    ],
    scoring_notes=NO_SCALE,
    description="Six rounds of the Porsche Michelin Sprint Challenge Australia (the GT3 Cup "
    "Challenge's current name); no results are on record.",
)
season(
    "gt3-cup-challenge-usa",
    2026,
    "recent/calendar_sprint-challenge-north-america_2026.csv",
    "2026 Porsche Sprint Challenge North America",
    None,
    [
        W(0, "sebring", "2026-03-06", "2026-03-08", races(1, 2)),
        W(1, "barber", "2026-03-27", "2026-03-29", races(3, 2)),
        W(2, "sonoma", "2026-04-10", "2026-04-12", races(5, 2)),
        W(3, "circuit-of-the-americas", "2026-05-07", "2026-05-09", races(7, 2)),
        W(4, "vir", "2026-06-19", "2026-06-21", races(9, 2)),
        W(5, "road-america", "2026-08-07", "2026-08-09", races(11, 2)),
        W(6, "road-atlanta", "2026-09-11", "2026-09-13", races(13, 2)),
    ],
    scoring_notes=NO_SCALE,
    description="The Porsche Sprint Challenge North America (successor of the GT3 Cup Challenge "
    "USA): seven weekends of two races. No results are on record yet.",
)
SUISSE_NOTES = (
    NO_SCALE
    + " Porsche Sports Cup Suisse events (Sprint Challenge groups GT3 Cup, GT4 Clubsport, Open GT)."
)
season(
    "sprint-challenge-suisse",
    2024,
    "recent/calendar_sprint-challenge-suisse_2024.csv",
    "2024 Porsche Sprint Challenge Suisse",
    None,
    [
        one(0, "red-bull-ring", "2024-04-25", "2024-04-27", 1),
        one(1, "paul-ricard", "2024-05", "", 2),
        one(2, "imola", "2024-06-21", "2024-06-23", 3),
        one(3, "portimao", "2024-08", "", 4),
        one(4, "mugello", "2024-09-19", "2024-09-21", 5),
        one(5, "misano", "2024-10-24", "2024-10-26", 6),
    ],
    scoring_notes=SUISSE_NOTES,
    description="Six events of the Porsche Sports Cup Suisse; Portimão replaced Monza. No "
    "results are on record.",
)
season(
    "sprint-challenge-suisse",
    2026,
    "recent/calendar_sprint-challenge-suisse_2026.csv",
    "2026 Porsche Sprint Challenge Suisse",
    None,
    [
        one(0, "portimao", "2026-04", "", 1),
        one(1, "monza", "2026-05", "", 2),
        one(2, "imola", "2026-06-26", "2026-06-28", 3),
        one(3, "red-bull-ring", "2026-07", "", 4),
        one(4, "mugello", "2026-09", "", 5),
        one(5, "misano", "2026-10-22", "2026-10-24", 6),
    ],
    scoring_notes=SUISSE_NOTES,
    description="The final 2026 calendar (published 21 October 2025); no results are on record "
    "yet.",
)

# --- older seasons (partial-seasons/): one calendar row per race ---------------------------------

season(
    "supercup",
    2017,
    "partial-seasons/supercup-2017/calendar.csv",
    "2017 Porsche Mobil 1 Supercup",
    ("911 GT3 Cup (type 991 II)", "991-2"),
    [
        W([0, 1], "barcelona", "2017-05-12", "2017-05-14", [R(1, day="2017-05-13"), R(2)]),
        W(
            [9, 10],
            "mexico-city",
            "2017-10-28",
            "2017-10-29",
            [R(10, day="2017-10-28"), R(11, day="2017-10-29")],
        ),
    ],
    scale=[20, 18, 16, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
    scoring_notes="INFERRED: the 2017 scale was not read. The 2014 scale (porsche.com pmsc "
    "profile; world-of-911.de/supercup_2014.php: 20-18-16-14-12-10-9-8-7-6-5-4-3-2-1, no dropped "
    "results, guests score nothing) reproduces seven of the eighteen complete rows exactly; every "
    "other row is below its published total by what guests' pass-down explains. Guest rule by "
    "analogy with 2022–2024.",
    description="Eleven races at eight meetings (double-headers at Barcelona, Spa and Mexico "
    "City). Michael Ammermüller is the champion with 193 points, ahead of Dennis Olsen (186) and "
    "Matt Campbell (151), as published. The dates of races 3–9 (Monaco, Red Bull Ring, "
    "Silverstone, Hungaroring, Spa twice, Monza) are not on record, so only the Barcelona and "
    "Mexico City races are on the calendar.",
    standings="supercup-2017",
    results_note="Only races 1, 2, 10 and 11 are on the calendar (the other races' dates are not "
    "on record), so only those cells of the published table's top 19 rows are entered: no "
    "standings can be computed.",
    unplaced=[2, 3, 4, 5, 6, 7, 8],
    guest_rows={"Thomas Preining": [6, 9]},
)
season(
    "supercup",
    2019,
    "partial-seasons/supercup-2019/calendar.csv",
    "2019 Porsche Mobil 1 Supercup",
    ("911 GT3 Cup (type 991 II)", "991-2"),
    [
        W(0, "barcelona", "2019-05-10", "2019-05-12", [R(1, day="2019-05-12")]),
        W(1, "monaco", "2019-05-23", "2019-05-26", [R(2)]),
        W(
            [8, 9],
            "mexico-city",
            "2019-10-26",
            "2019-10-27",
            [R(9, day="2019-10-26"), R(10, day="2019-10-27")],
        ),
    ],
    scoring_notes=NO_SCALE,
    description="Ten races; Michael Ammermüller won his third title in a row (four wins: Monaco, "
    "the Hungaroring and both Mexico races), ahead of rookie champion Ayhancan Güven. The dates of "
    "rounds 3–8 (Red Bull Ring, Silverstone, Hockenheim, Hungaroring, Spa, Monza) are not on "
    "record; Larry ten Voorde won at Monza (round 8).",
    unplaced=[2, 3, 4, 5, 6, 7],
    standings="supercup-2019",
    results_note="Some cells of the top four rows only (races 1, 2, 9 and 10 are dated); no "
    "scale was read, so no points are computed.",
)
season(
    "supercup",
    2020,
    "partial-seasons/supercup-2020/calendar.csv",
    "2020 Porsche Mobil 1 Supercup",
    ("911 GT3 Cup (type 991 II)", "991-2"),
    [
        W(0, "red-bull-ring", "2020-07-03", "2020-07-05", [R(1, day="2020-07-05")]),
        W(
            1,
            "red-bull-ring",
            "2020-07-10",
            "2020-07-12",
            [R(2, day="2020-07-12")],
            name="Red Bull Ring (Styrian GP)",
        ),
        W(2, "hungaroring", "2020-07-17", "2020-07-19", [R(3, day="2020-07-19")]),
        W(3, "silverstone", "2020-07-31", "2020-08-02", [R(4, day="2020-08-02")]),
        W(
            4,
            "silverstone",
            "2020-08-07",
            "2020-08-09",
            [R(5, day="2020-08-09")],
            name="Silverstone (70th Anniversary GP)",
        ),
        W(5, "barcelona", "2020-08-14", "2020-08-16", [R(6, day="2020-08-16")]),
        W(6, "spa-francorchamps", "2020-08-28", "2020-08-30", [R(7, day="2020-08-30")]),
        W(7, "monza", "2020-09-04", "2020-09-06", [R(8, day="2020-09-06")]),
    ],
    scoring_notes=NO_SCALE,
    description="Eight races from July, after the season's delayed start. Larry ten Voorde is "
    "the champion: he won at Barcelona and at Monza, from pole, where he clinched the title.",
    standings="supercup-2020",
    results_note="Larry ten Voorde's two wins only; no other result is known.",
)
season(
    "carrera-cup-asia",
    2018,
    "partial-seasons/carrera-cup-asia-2018/calendar.csv",
    "2018 Porsche Carrera Cup Asia",
    ("911 GT3 Cup (type 991 II)", "991-2"),
    [
        W(0, "shanghai", "2018-04-15", "2018-04-15", [R(1, "Philip Hamprecht", day="2018-04-15")]),
        W(
            [1, 2],
            "fuji",
            "2018-06-16",
            "2018-06-17",
            [
                R(2, "Chris van der Drift", day="2018-06-16"),
                R(3, "Philip Hamprecht", day="2018-06-17"),
            ],
        ),
        W(
            [3, 4],
            "bangsaen",
            "2018-07-14",
            "2018-07-15",
            [
                R(4, "Chris van der Drift", day="2018-07-14"),
                R(5, "Philip Hamprecht", day="2018-07-15"),
            ],
        ),
        W(
            [5, 6],
            "sydney-motorsport-park",
            "2018-08-03",
            "2018-08-04",
            [
                R(6, "Martin Ragginger", day="2018-08-03"),
                R(7, "Philip Hamprecht", day="2018-08-04"),
            ],
        ),
        W(
            7,
            "marina-bay",
            "2018-09-16",
            "2018-09-16",
            [R(8, "Chris van der Drift", day="2018-09-16")],
        ),
        W(
            [8, 9],
            "sepang",
            "2018-09-29",
            "2018-09-30",
            [R(9, "Will Bamber", day="2018-09-29"), R(10, "Martin Ragginger", day="2018-09-30")],
        ),
        W(
            [10, 11],
            "shanghai",
            "2018-11-17",
            "2018-11-18",
            [R(11, day="2018-11-17"), R(12, day="2018-11-18")],
        ),
    ],
    scoring_notes=NO_SCALE,
    classes=["Pro", "Pro-Am"],
    description="Twelve races; winners are on record for races 1–10.",
    results_note="Winners of races 1–10 only; no other result is known.",
)
season(
    "carrera-cup-france",
    2022,
    "partial-seasons/carrera-cup-france-2022/calendar.csv",
    "2022 Porsche Carrera Cup France",
    CAR_992,
    [
        W([0, 1], "nogaro", "2022-04-16", "2022-04-18", races(1, 2)),
        W([2, 3], "spa-francorchamps", "2022-05-05", "2022-05-07", races(3, 2)),
        W([4, 5], "magny-cours", "2022-05-13", "2022-05-15", races(5, 2)),
        W([6, 7], "zandvoort", "2022-07-17", "2022-07-19", races(7, 2)),
        W([8, 9], "valencia", "2022-09-16", "2022-09-18", races(9, 2)),
        W([10, 11], "paul-ricard", "2022-10-14", "2022-10-16", races(11, 2)),
    ],
    scoring_notes=NO_SCALE,
    description="Twelve races; Marvin Klein is the champion with seven wins, Dorian Boccolacci "
    "won the other five (by subtraction). Winners are on record for races 1–7.",
    standings="carrera-cup-france-2022",
    results_note="Winners of races 1–7 only (Klein's and Boccolacci's wins as read).",
)
season(
    "carrera-cup-germany",
    2020,
    "partial-seasons/carrera-cup-germany-2020/calendar.csv",
    "2020 Porsche Carrera Cup Deutschland",
    ("911 GT3 Cup (type 991 II)", "991-2"),
    [
        W(
            0,
            "le-mans",
            "2020-09-19",
            "2020-09-19",
            [R(1, day="2020-09-19", podium=["Larry ten Voorde", "Leon Köhler", "Laurin Heinrich"])],
        ),
        W(
            [1, 2, 3],
            "sachsenring",
            "2020-10-03",
            "2020-10-04",
            [
                R(2, day="2020-10-03", podium=["Dylan Pereira", "Larry ten Voorde", "Leon Köhler"]),
                R(
                    3,
                    day="2020-10-04",
                    podium=["Larry ten Voorde", "Dylan Pereira", "Diego Bertonelli"],
                ),
                R(4, day="2020-10-04", podium=["Dylan Pereira", "Larry ten Voorde", "Leon Köhler"]),
            ],
        ),
        W(
            [9, 10],
            "oschersleben",
            "2020-11-08",
            "2020-11-08",
            [R(11, day="2020-11-08")],
            description="",
        ),
    ],
    scoring_notes=NO_SCALE,
    description="Eleven races. Larry ten Voorde is the champion with 236 points. The podiums of "
    "races 1–4 are on record; the Red Bull Ring (races 5–7), Lausitzring (races 8–9) and "
    "Oschersleben race 10 dates are not.",
    unplaced=[4, 5, 6, 7, 8],
    standings="carrera-cup-germany-2020",
    results_note="The podiums of races 1–4 only.",
)
season(
    "carrera-cup-germany",
    2021,
    "partial-seasons/carrera-cup-germany-2021/calendar.csv",
    "2021 Porsche Carrera Cup Deutschland",
    CAR_992,
    [
        W(
            [0, 1],
            "spa-francorchamps",
            "2021-04-29",
            "2021-05-01",
            [
                R(
                    1,
                    day="2021-04-30",
                    podium=["Larry ten Voorde", "Laurin Heinrich", "Christopher Zöchling"],
                ),
                R(
                    2,
                    day="2021-05-01",
                    podium=["Larry ten Voorde", "Laurin Heinrich", "Christopher Zöchling"],
                ),
            ],
        ),
        W([2, 3], "oschersleben", "2021-05-14", "2021-05-16", races(3, 2)),
        W([4, 5], "red-bull-ring", "2021-06-11", "2021-06-13", races(5, 2)),
        W(
            [6, 7],
            "monza",
            "2021-06-18",
            "2021-06-20",
            [
                R(7, "Larry ten Voorde", day="2021-06-19"),
                R(
                    8,
                    day="2021-06-20",
                    podium=["Larry ten Voorde", "Rudy van Buren", "Ayhancan Güven"],
                ),
            ],
        ),
        W([8, 9], "zandvoort", "2021-07-09", "2021-07-11", races(9, 2)),
        W([10, 11], "monza", "2021-09-24", "2021-09-26", races(11, 2), name="Monza (extra round)"),
        W([12, 13], "sachsenring", "2021-10-01", "2021-10-03", races(13, 2)),
        W(
            [14, 15],
            "hockenheim",
            "2021-10-22",
            "2021-10-24",
            [
                R(
                    15,
                    day="2021-10-23",
                    podium=["Larry ten Voorde", "Laurin Heinrich", "Morris Schuring"],
                ),
                R(16),
            ],
        ),
    ],
    scoring_notes=NO_SCALE,
    description="Sixteen races; the Nürburgring round (6–8 August) was cancelled after the "
    "flooding in the region and replaced by a second Monza round. Larry ten Voorde won his "
    "second title in a row.",
    unplaced=[16],
    standings="carrera-cup-germany-2021",
    results_note="The podiums of races 1, 2, 8 and 15 and the winner of race 7 only.",
)
season(
    "carrera-cup-great-britain",
    2016,
    "partial-seasons/carrera-cup-great-britain-2016/calendar.csv",
    "2016 Porsche Carrera Cup Great Britain",
    ("911 GT3 Cup (type 991)", "991-1"),
    [
        W(
            0,
            "brands-hatch",
            "2016-04-03",
            "2016-04-03",
            [R(1, day="2016-04-03")],
            name="Brands Hatch (Indy)",
        ),
        W(
            15,
            "brands-hatch",
            "2016-10-02",
            "2016-10-02",
            [R(16, day="2016-10-02")],
            name="Brands Hatch (GP)",
        ),
    ],
    scale=[20, 18, 16, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1],
    scoring_notes="Scale as read in the table's points column (wiki.tsokiyzan.org 2016 Porsche "
    "Carrera Cup Great Britain), with two unlabelled extra columns worth a point each (probably "
    "pole and fastest lap, not read).",
    classes=["Pro"],
    description="Sixteen races supporting the BTCC, from Brands Hatch (Indy) on 3 April to "
    "Brands Hatch (GP) on 2 October; Dan Cammish is the champion with 313 points. The dates of "
    "races 2–15 (Brands Hatch Indy, Silverstone GP, Oulton Park, Croft, Snetterton, Knockhill, "
    "Silverstone National) are not on record, so only races 1 and 16 are on the calendar.",
    unplaced=list(range(1, 15)),
    standings="carrera-cup-great-britain-2016",
    results_note="The top six rows of the published table are complete, but only their results "
    "in races 1 and 16 can be entered (the other races are not dated). No points can be "
    "compared with the published table.",
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


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(Path(sys.argv[1]))
