"""What a season is made of, as the tables of the other modules write it: circuits the older
files lack, series slugs and names, races (R), weekends (W, one), the season spec, and the
registry every season() call adds to (SEASONS, read by writing.build)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]  # series/data: where the built files go

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


NO_SCALE = (
    "Points scale not read in the sources compiled: none is entered, so no points are computed."
)
