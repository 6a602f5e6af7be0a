"""The Supercup calendars of 2024–2026 (recent/), one season() per calendar, each row written out
by hand next to what it reads."""

from __future__ import annotations

from .spec import CAR_992, CAR_992_2, SCALE_25, R, W, races, season

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
