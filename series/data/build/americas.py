"""The calendars of the Americas, 2024–2026 (recent/): Carrera Cup North America and the GT3 Cup
Challenge USA."""

from __future__ import annotations

from .spec import CAR_992, CAR_992_2, NO_SCALE, R, Race, W, races, season

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
