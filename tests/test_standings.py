"""Hand-made cases for every rule of the points engine, and a golden test on a published table."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from series.standings import (
    AdjustmentRow,
    Competitor,
    ResultRow,
    RoundInfo,
    Rules,
    SeasonData,
    Team,
    compute_standings,
)

SUPERCUP_SCALE = (25, 20, 17, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
SHORT_SCALE = (10, 6, 4, 3, 2, 1)
# A verbatim copy of shared/data/facts/supercup_2022_results.csv (see tests/data/README.md).
SUPERCUP_2022 = Path(__file__).resolve().parent / "data" / "supercup_2022_results.csv"


def entrants(*keys: str, **fields) -> tuple[Competitor, ...]:
    return tuple(Competitor(key=key, name=key.title(), **fields) for key in keys)


def finishing_order(
    round_number: int, *keys: str, session: str = "race", kind: str = "race"
) -> list[ResultRow]:
    """The cars of one session, classified 1st, 2nd, ... in the order given."""
    return [
        ResultRow(round=round_number, session=session, kind=kind, driver=key, position=position)
        for position, key in enumerate(keys, start=1)
    ]


def car(round_number: int, key: str, position: int | None, **fields) -> ResultRow:
    return ResultRow(
        round=round_number,
        session=fields.pop("session", "race"),
        kind=fields.pop("kind", "race"),
        driver=key,
        position=position,
        **fields,
    )


def make_season(
    competitors,
    results,
    rounds=1,
    *,
    teams=(),
    adjustments=(),
    **rules,
) -> SeasonData:
    rules.setdefault("race_points", SHORT_SCALE)
    if isinstance(rounds, int):
        rounds = tuple(RoundInfo(number) for number in range(1, rounds + 1))
    return SeasonData(
        rules=Rules(**rules),
        rounds=rounds,
        competitors=tuple(competitors),
        teams=tuple(teams),
        results=tuple(results),
        adjustments=tuple(adjustments),
    )


def points_of(rows) -> dict[str, Decimal]:
    return {row.key: row.points for row in rows}


def positions_of(rows) -> dict[str, int | None]:
    return {row.key: row.position for row in rows}


def row_of(rows, key):
    return next(row for row in rows if row.key == key)


# --- points scales -------------------------------------------------------------------------------


def test_sprint_and_race_each_use_their_own_scale():
    season = make_season(
        entrants("a", "b", "c", "d"),
        finishing_order(1, "a", "b", "c", "d", session="sprint", kind="sprint")
        + finishing_order(1, "b", "a", "d", "c"),
        race_points=(10, 6, 4),
        sprint_points=(3, 2, 1),
    )
    rows = compute_standings(season)
    assert points_of(rows) == {"a": 9, "b": 12, "c": 1, "d": 4}
    assert row_of(rows, "a").rounds[0].sessions == ("sprint", "race")
    assert row_of(rows, "a").rounds[0].positions == (1, 2)


def test_sprint_without_its_own_scale_uses_the_race_scale():
    season = make_season(
        entrants("a", "b"),
        finishing_order(1, "a", "b", session="sprint", kind="sprint"),
        race_points=(10, 6),
    )
    assert points_of(compute_standings(season)) == {"a": 10, "b": 6}


def test_positions_past_the_scale_score_nothing_and_a_deep_scale_pays_to_its_end():
    keys = [f"d{n:02}" for n in range(1, 21)]
    season = make_season(entrants(*keys), finishing_order(1, *keys), race_points=SUPERCUP_SCALE)
    points = points_of(compute_standings(season))
    assert points["d15"] == 1
    assert points["d16"] == 0
    assert points["d20"] == 0


def test_unclassified_cars_score_nothing_but_a_classified_retirement_scores():
    season = make_season(
        entrants("a", "b", "c", "d", "e"),
        [
            car(1, "a", 1),
            car(1, "b", 2, status="retired"),
            car(1, "c", None, status="retired"),
            car(1, "d", None, status="dsq"),
            car(1, "e", None, status="dns"),
        ],
    )
    rows = compute_standings(season)
    assert points_of(rows) == {"a": 10, "b": 6, "c": 0, "d": 0, "e": 0}
    assert row_of(rows, "d").rounds[0].statuses == ("dsq",)
    assert row_of(rows, "d").rounds[0].positions == (None,)


# --- guests --------------------------------------------------------------------------------------


def _supercup_session_with_guests_4th_to_6th(guests: str) -> list:
    eligible = [f"e{n:02}" for n in range(1, 19)]
    order = eligible[:3] + ["g1", "g2", "g3"] + eligible[3:]
    season = make_season(
        entrants(*eligible) + entrants("g1", "g2", "g3", guest=True),
        finishing_order(1, *order),
        race_points=SUPERCUP_SCALE,
        guests=guests,
    )
    return compute_standings(season)


def test_guest_points_pass_down_to_the_next_eligible_finishers():
    # "with guests 4th, 5th and 6th, the 7th-placed finisher gets 4th place's points ... until
    # the 18th-placed finisher receives the final point" (Supercup sporting regulations).
    rows = _supercup_session_with_guests_4th_to_6th("pass-down")
    points = points_of(rows)
    assert points["e03"] == 17
    assert points["e04"] == 14  # 7th on the road
    assert points["e15"] == 1  # 18th on the road
    assert points["e16"] == 0
    assert points["g1"] == points["g2"] == points["g3"] == 0


def test_guests_are_listed_unranked_after_the_ranked_rows_with_their_own_positions():
    rows = _supercup_session_with_guests_4th_to_6th("pass-down")
    assert [row.key for row in rows[-3:]] == ["g1", "g2", "g3"]
    guest = row_of(rows, "g1")
    assert guest.position is None
    assert guest.eligible is False
    assert guest.gap is None
    assert guest.rounds[0].positions == (4,)
    assert [row.position for row in rows[:-3]] == list(range(1, 19))


def test_skipped_guests_points_are_not_awarded():
    points = points_of(_supercup_session_with_guests_4th_to_6th("skip"))
    assert points["e03"] == 17
    assert points["e04"] == 9  # keeps 7th place's points
    assert points["e12"] == 1  # 15th on the road
    assert points["e13"] == 0
    assert sum(points.values()) == sum(SUPERCUP_SCALE) - (14 + 12 + 10)


def test_a_guest_win_counts_as_its_win_but_the_first_eligible_car_takes_the_points():
    season = make_season(
        entrants("a", "b") + entrants("guest", guest=True),
        finishing_order(1, "guest", "a", "b"),
    )
    rows = compute_standings(season)
    guest, a = row_of(rows, "guest"), row_of(rows, "a")
    assert (guest.points, guest.wins, guest.podiums) == (0, 1, 1)
    assert (a.points, a.wins, a.podiums, a.position) == (10, 0, 1, 1)


def test_pass_down_counts_guests_ahead_so_a_gap_in_partial_data_moves_no_one_up():
    # Only the top of the classification is known: positions 1, 2, 4, 5.
    season = make_season(
        entrants("a", "b", "c", "d"),
        [car(1, "a", 1), car(1, "b", 2), car(1, "c", 4), car(1, "d", 5)],
    )
    assert points_of(compute_standings(season)) == {"a": 10, "b": 6, "c": 3, "d": 2}


# --- bonuses -------------------------------------------------------------------------------------


def test_pole_and_fastest_lap_bonus_only_in_the_top_n():
    season = make_season(
        entrants("a", "b", "c", "d"),
        [
            car(1, "a", 1, pole=True),
            car(1, "b", 2),
            car(1, "c", 3, fastest_lap=True),  # inside the top 3: scores the bonus
            car(1, "d", 4),
            car(2, "a", 1),
            car(2, "b", 2),
            car(2, "c", 3),
            car(2, "d", 4, fastest_lap=True),  # outside the top 3: no bonus
        ],
        rounds=2,
        pole_points=2,
        fastest_lap_points=1,
        fastest_lap_top=3,
    )
    assert points_of(compute_standings(season)) == {
        "a": 10 + 2 + 10,
        "b": 6 + 6,
        "c": 4 + 1 + 4,
        "d": 3 + 3,
    }


def test_fastest_lap_bonus_without_a_top_n_goes_to_any_classified_finisher_only():
    season = make_season(
        entrants("a", "b", "c", "d", "e", "f", "g"),
        finishing_order(1, "a", "b", "c", "d", "e")
        + [car(1, "f", 6, fastest_lap=True)]
        + [car(2, "a", 1), car(2, "g", None, status="retired", fastest_lap=True)],
        rounds=2,
        fastest_lap_points=1,
    )
    points = points_of(compute_standings(season))
    assert points["f"] == 1 + 1
    assert points["g"] == 0


def test_pole_scores_even_when_the_car_is_not_classified():
    season = make_season(
        entrants("a", "b"),
        [car(1, "a", 1), car(1, "b", None, status="retired", pole=True)],
        pole_points=3,
    )
    assert points_of(compute_standings(season)) == {"a": 10, "b": 3}


def test_bonuses_never_go_to_guests_and_are_not_passed_down():
    season = make_season(
        entrants("a", "b") + entrants("guest", guest=True),
        [car(1, "guest", 1, pole=True, fastest_lap=True), car(1, "a", 2), car(1, "b", 3)],
        pole_points=2,
        fastest_lap_points=1,
    )
    assert points_of(compute_standings(season)) == {"guest": 0, "a": 10, "b": 6}


# --- multipliers ---------------------------------------------------------------------------------


def test_half_points_round_keeps_the_half_point():
    season = make_season(
        entrants("a", "b"),
        finishing_order(1, "a", "b"),
        rounds=(RoundInfo(1, Decimal("0.5")),),
        race_points=SUPERCUP_SCALE,
    )
    rows = compute_standings(season)
    assert points_of(rows) == {"a": Decimal("12.5"), "b": Decimal("10")}
    assert rows[0].rounds[0].points == Decimal("12.5")


def test_double_points_round_doubles_bonuses_too():
    season = make_season(
        entrants("a", "b"),
        [car(1, "a", 1), car(1, "b", 2, pole=True), car(2, "b", 1), car(2, "a", 2)],
        rounds=(RoundInfo(1, Decimal("0.5")), RoundInfo(2, Decimal(2))),
        race_points=(25, 18),
        pole_points=1,
    )
    rows = compute_standings(season)
    assert points_of(rows) == {"a": Decimal("12.5") + 36, "b": Decimal("9.5") + 50}
    assert [rp.points for rp in row_of(rows, "b").rounds] == [Decimal("9.5"), Decimal(50)]


# --- ties ----------------------------------------------------------------------------------------


def test_three_way_tie_is_broken_by_countback():
    # All on 14: b and a have a win each, no seconds or thirds, and b's 4th beats a's 5ths; c has
    # no win at all.
    season = make_season(
        entrants("a", "b", "c"),
        [
            car(1, "a", 1),
            car(1, "c", 2),
            car(1, "b", 4),
            car(2, "b", 1),
            car(2, "c", 2),
            car(2, "a", 5),
            car(3, "a", 5),
            car(3, "b", 6),
            car(4, "c", 5),
        ],
        rounds=4,
    )
    rows = compute_standings(season)
    assert set(points_of(rows).values()) == {14}
    assert [(row.key, row.position) for row in rows] == [("b", 1), ("a", 2), ("c", 3)]
    assert [row.gap for row in rows] == [None, 0, 0]


def test_tie_with_equal_countback_goes_to_the_better_result_in_the_latest_round_that_differs():
    season = make_season(
        entrants("a", "b"),
        finishing_order(1, "a", "b") + finishing_order(2, "b", "a"),
        rounds=3,  # round 3 not run: no difference there, so round 2 decides
        race_points=(10, 6),
    )
    # Same points, same countback; a was ahead in round 1 (and by name) but b in round 2.
    assert [row.key for row in compute_standings(season)] == ["b", "a"]


def test_tie_with_no_results_falls_back_to_name():
    season = make_season(
        (Competitor("z", "Anna"), Competitor("a", "Bert")), (), race_points=SHORT_SCALE
    )
    assert [row.name for row in compute_standings(season)] == ["Anna", "Bert"]


# --- drops ---------------------------------------------------------------------------------------


def test_worst_round_is_dropped_even_when_it_is_not_the_latest():
    season = make_season(
        entrants("a", "b"),
        finishing_order(1, "a", "b") + finishing_order(3, "b", "a"),
        rounds=3,
        drop_worst=1,
    )
    rows = compute_standings(season)
    a = row_of(rows, "a")
    # a missed round 2: it counts as 0 and is the one dropped.
    assert [rp.dropped for rp in a.rounds] == [False, True, False]
    assert a.points == 16


def test_of_equal_lowest_rounds_the_earliest_is_dropped():
    season = make_season(
        entrants("a", "b"),
        finishing_order(1, "b", "a") + finishing_order(2, "b", "a") + finishing_order(3, "a", "b"),
        rounds=3,
        drop_worst=1,
    )
    a = row_of(compute_standings(season), "a")
    assert [rp.dropped for rp in a.rounds] == [True, False, False]
    assert a.points == 16


def test_the_last_rounds_of_the_season_cannot_be_dropped():
    season = make_season(
        entrants("a", "b", "c"),
        finishing_order(1, "a", "b", "c")
        + finishing_order(2, "b", "a", "c")
        + finishing_order(4, "b", "c", "a"),
        rounds=4,
        drop_worst=1,
        undroppable_last=2,
    )
    a = row_of(compute_standings(season), "a")
    # Round 3 (missed, 0) and round 4 (4 points) are protected: round 2's 6 goes.
    assert [rp.dropped for rp in a.rounds] == [False, True, False, False]
    assert a.points == 10 + 4


def test_class_drop_rule_overrides_the_season_rule_in_the_class_and_overall_tables():
    # Carrera Cup North America 2023: Pro-Am and Am drop their two lowest results, the final two
    # races can't be dropped; Pro keeps every result.
    pro = entrants("pro", class_slug="pro")
    am = entrants("am", class_slug="am")
    results = []
    for number, (pro_position, am_position) in enumerate([(3, 4), (1, 2), (2, 1), (1, 2)], 1):
        results += [car(number, "pro", pro_position), car(number, "am", am_position)]
    season = make_season(
        pro + am,
        results,
        rounds=5,  # round 5 not run yet by either
        class_drop={"am": (2, 2)},
        class_scoring="overall-position",
    )
    overall = compute_standings(season)
    am_table = compute_standings(season, class_slug="am")
    for rows in (overall, am_table):
        am_row = row_of(rows, "am")
        # am scored 3, 6, 10, 6, 0: rounds 4 and 5 are protected, the lowest others (1, 2) go.
        assert [rp.dropped for rp in am_row.rounds] == [True, True, False, False, False]
        assert am_row.points == 16
    assert row_of(overall, "pro").points == 4 + 10 + 6 + 10


def test_a_drop_applies_only_once_more_rounds_than_the_drop_count_are_counted():
    season = make_season(
        entrants("a", "b"),
        finishing_order(1, "a", "b")
        + finishing_order(2, "b", "a")
        + finishing_order(3, "b", "a")
        + finishing_order(4, "a", "b"),
        rounds=4,
        drop_worst=1,
        undroppable_last=1,
    )
    assert row_of(compute_standings(season, after_round=1), "a").points == 10
    after_two = row_of(compute_standings(season, after_round=2), "a")
    assert after_two.points == 10
    assert [rp.dropped for rp in after_two.rounds] == [False, True]
    final = row_of(compute_standings(season), "a")
    assert [rp.dropped for rp in final.rounds] == [False, True, False, False]
    assert final.points == 26


# --- classes -------------------------------------------------------------------------------------


def _two_class_season(class_scoring: str) -> SeasonData:
    return make_season(
        entrants("p1", "p2", class_slug="pro")
        + entrants("a1", "a2", class_slug="am")
        + entrants("ag", class_slug="am", guest=True),
        finishing_order(1, "p1", "a1", "p2", "ag", "a2"),
        class_scoring=class_scoring,
    )


def test_class_table_scores_class_positions_with_guests_passing_down_within_the_class():
    rows = compute_standings(_two_class_season("class-position"), class_slug="am")
    assert {row.key for row in rows} == {"a1", "a2", "ag"}
    assert points_of(rows) == {"a1": 10, "a2": 6, "ag": 0}
    a1 = row_of(rows, "a1")
    assert (a1.wins, a1.rounds[0].positions) == (1, (1,))
    assert row_of(rows, "ag").rounds[0].positions == (2,)
    assert row_of(rows, "a2").rounds[0].positions == (3,)


def test_class_table_by_overall_position_keeps_the_overall_points():
    season = _two_class_season("overall-position")
    rows = compute_standings(season, class_slug="am")
    overall = points_of(compute_standings(season))
    assert points_of(rows) == {"a1": 6, "a2": 3, "ag": 0}
    assert all(overall[key] == points for key, points in points_of(rows).items())
    assert row_of(rows, "a1").wins == 0


# --- teams ---------------------------------------------------------------------------------------


def _team_season(team_cars: int) -> SeasonData:
    return make_season(
        entrants("x", "y", "z", team_key="t1")
        + entrants("w", team_key="t2")
        + entrants("guest", team_key="t3", guest=True),
        finishing_order(1, "x", "y", "w", "z", "guest")
        + [
            car(2, "z", 1),
            car(2, "x", 2, team="t2"),  # x drove for t2 in round 2
            car(2, "w", 3),
            car(2, "y", 4),
        ],
        rounds=2,
        teams=(Team("t1", "Team One"), Team("t2", "Team Two"), Team("t3", "Guest Team")),
        team_cars=team_cars,
    )


def test_teams_score_their_best_two_cars_in_each_session():
    rows = compute_standings(_team_season(2), table="teams")
    # Round 1: t1 x 10 + y 6 (z's 3 does not count); round 2: t1 z 10 + y 3, t2 x 6 + w 4.
    assert points_of(rows) == {"t1": 16 + 13, "t2": 4 + 10, "t3": 0}
    t1 = row_of(rows, "t1")
    assert (t1.position, t1.name, t1.wins) == (1, "Team One", 2)
    assert [rp.points for rp in t1.rounds] == [16, 13]


def test_teams_with_every_car_counting():
    assert row_of(compute_standings(_team_season(0), table="teams"), "t1").points == 19 + 13


def test_teams_table_drops_no_rounds_even_when_drivers_drop():
    season = make_season(
        entrants("a", team_key="t1") + entrants("b", team_key="t2"),
        finishing_order(1, "a", "b") + finishing_order(2, "b", "a"),
        rounds=2,
        drop_worst=1,
    )
    assert row_of(compute_standings(season), "a").points == 10
    team = row_of(compute_standings(season, table="teams"), "t1")
    assert (team.points, [rp.dropped for rp in team.rounds]) == (16, [False, False])


def test_a_team_of_guests_is_listed_but_not_ranked():
    guest_team = row_of(compute_standings(_team_season(2), table="teams"), "t3")
    assert (guest_team.eligible, guest_team.position, guest_team.points) == (False, None, 0)


# --- adjustments ---------------------------------------------------------------------------------


def _adjusted_season(adjustments) -> SeasonData:
    return make_season(
        entrants("a", "b", "c", "d"),
        finishing_order(1, "a", "b", "c") + finishing_order(2, "a", "b", "c"),
        rounds=2,
        adjustments=adjustments,
    )


def test_excluded_driver_is_listed_unranked_and_a_deduction_lowers_the_total():
    deduction = AdjustmentRow(Decimal(-5), "Technical infringement", driver="b")
    exclusion = AdjustmentRow(
        Decimal(0), "Excluded from the championship", driver="a", excluded=True
    )
    rows = compute_standings(_adjusted_season([deduction, exclusion]))
    assert [(row.key, row.position) for row in rows] == [
        ("c", 1),
        ("b", 2),
        ("d", 3),
        ("a", None),
    ]
    a, b = row_of(rows, "a"), row_of(rows, "b")
    assert (a.points, a.eligible, a.excluded, a.gap) == (20, False, True, None)
    assert (b.points, b.gap, b.adjustments) == (7, 1, (deduction,))


def test_a_deduction_beyond_the_points_scored_is_not_clamped():
    deduction = AdjustmentRow(Decimal(-3), "Unsafe release", driver="d")
    assert row_of(compute_standings(_adjusted_season([deduction])), "d").points == -3


def test_team_adjustment_applies_to_the_team_table_only():
    season = make_season(
        entrants("a", team_key="t1"),
        finishing_order(1, "a"),
        teams=(Team("t1", "One"),),
        adjustments=(AdjustmentRow(Decimal(-2), "Late to scrutineering", team="t1"),),
    )
    assert compute_standings(season)[0].points == 10
    assert compute_standings(season, table="teams")[0].points == 8


# --- after a round -------------------------------------------------------------------------------


def test_after_round_counts_only_rounds_up_to_it():
    season = make_season(
        entrants("a", "b"),
        finishing_order(1, "a", "b") + finishing_order(2, "b", "a") + finishing_order(3, "b", "a"),
        rounds=3,
    )
    rows = compute_standings(season, after_round=1)
    assert [(row.key, row.points, row.wins) for row in rows] == [("a", 10, 1), ("b", 6, 0)]
    assert [rp.round for rp in rows[0].rounds] == [1]
    assert [row.key for row in compute_standings(season)] == ["b", "a"]


def test_after_round_still_protects_the_seasons_last_rounds_only():
    season = make_season(
        entrants("a", "b"),
        finishing_order(1, "a", "b")
        + finishing_order(2, "b", "a")
        + finishing_order(3, "b", "a")
        + finishing_order(4, "b", "a"),
        rounds=4,
        drop_worst=1,
        undroppable_last=2,
    )
    # After round 3, round 3 is among the season's last two and can't go; round 2 is dropped.
    a = row_of(compute_standings(season, after_round=3), "a")
    assert [rp.dropped for rp in a.rounds] == [False, True, False]
    assert a.points == 16


# --- gaps and bad requests -----------------------------------------------------------------------


def test_gap_is_to_the_leader_and_none_for_the_leader():
    season = make_season(entrants("a", "b", "c"), finishing_order(1, "a", "b", "c"))
    assert [row.gap for row in compute_standings(season)] == [None, 4, 6]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"table": "constructors"}, "table must be one of drivers, teams"),
        ({"class_slug": "rookie"}, "No class 'rookie'"),
        ({"after_round": 9}, "No round 9"),
    ],
)
def test_bad_table_class_or_round_raises_a_plain_value_error(arguments, message):
    season = make_season(entrants("a", class_slug="am"), finishing_order(1, "a"), rounds=2)
    with pytest.raises(ValueError, match=message):
        compute_standings(season, **arguments)


def test_an_unknown_guest_rule_is_refused():
    season = make_season(entrants("a"), finishing_order(1, "a"), guests="share")
    with pytest.raises(ValueError, match="guests must be one of pass-down, skip"):
        compute_standings(season)


def test_a_class_with_no_entries_yet_gives_an_empty_table():
    season = SeasonData(
        rules=Rules(race_points=SHORT_SCALE),
        rounds=(RoundInfo(1),),
        competitors=entrants("a", class_slug="pro"),
        classes=("pro", "am"),
    )
    assert compute_standings(season, class_slug="am") == []


def test_a_result_for_a_driver_without_an_entry_is_named_in_the_error():
    season = make_season(entrants("a"), finishing_order(1, "a", "stranger"))
    with pytest.raises(ValueError, match="'stranger', who has no entry"):
        compute_standings(season)


def test_two_results_for_one_car_in_one_session_are_refused():
    season = make_season(entrants("a"), [car(1, "a", 1), car(1, "a", 2)])
    with pytest.raises(ValueError, match="'a' has two results in round 1"):
        compute_standings(season)


# --- golden: a published table -------------------------------------------------------------------


def test_supercup_2022_top_four_match_the_published_table():
    with SUPERCUP_2022.open(newline="") as facts:
        published = [row for row in csv.DictReader(facts) if row["row_complete"] == "yes"]
    round_columns = [column for column in published[0] if column[:1] == "R" and "_" in column]
    assert len(round_columns) == 8
    results = [
        car(number, row["driver"], int(row[column]))
        for row in published
        for number, column in enumerate(round_columns, start=1)
    ]
    season = SeasonData(
        rules=Rules(race_points=SUPERCUP_SCALE),
        rounds=tuple(RoundInfo(number) for number in range(1, 9)),
        competitors=tuple(
            Competitor(key=row["driver"], name=row["driver"], nationality=row["nationality"])
            for row in published
        ),
        results=tuple(results),
    )
    rows = compute_standings(season)
    assert [(row.name, row.points, row.position) for row in rows] == [
        (row["driver"], Decimal(row["published_points"]), int(row["published_position"]))
        for row in published
    ]
    assert [row.points for row in rows] == [149, 139, 123, 122]
    # ten Voorde's 29th at the Red Bull Ring is a classified finish that scores nothing.
    assert row_of(rows, "Larry ten Voorde").rounds[3].points == 0
    assert row_of(rows, "Larry ten Voorde").rounds[3].positions == (29,)
