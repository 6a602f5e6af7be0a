"""The European Carrera Cups and Sprint Challenge calendars of 2024–2026 (recent/): Germany,
France, Great Britain, Italia, Scandinavia, Benelux and Suisse."""

from __future__ import annotations

from .spec import CAR_992, NO_SCALE, R, W, one, races, season

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
