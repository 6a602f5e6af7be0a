"""The older seasons (partial-seasons/): one calendar row per race, with the top rows of the
published table and the scoring where they were read."""

from __future__ import annotations

from .spec import CAR_992, NO_SCALE, R, W, races, season

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
