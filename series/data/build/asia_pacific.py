"""The Asia-Pacific calendars of 2024–2026 (recent/): Carrera Cup Australia, Asia and Japan, and
the GT3 Cup Challenge Australia."""

from __future__ import annotations

from .spec import CAR_992, CAR_992_2, NO_SCALE, SCALE_25, R, W, one, races, season

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
