"""Hand-made engine cases: known, unknown and not taking part are three values; which session
kinds' places count as wins and in the countback is a season rule (countback_kinds)."""

from decimal import Decimal

import pytest

from series.standings import (
    Competitor,
    HeldSession,
    ResultRow,
    RoundInfo,
    Rules,
    SeasonData,
    Team,
    compute_standings,
)

SCALE = (10, 6, 4, 3, 2, 1)


def race(round_number, *keys, session="race", kind="race"):
    return [
        ResultRow(round=round_number, session=session, kind=kind, driver=key, position=position)
        for position, key in enumerate(keys, start=1)
    ]


def season(competitors, results, rounds=3, held=(), teams=(), **rules):
    rules.setdefault("race_points", SCALE)
    return SeasonData(
        rules=Rules(**rules),
        rounds=tuple(RoundInfo(n) for n in range(1, rounds + 1)),
        competitors=tuple(competitors),
        teams=tuple(teams),
        results=tuple(results),
        held=tuple(held),
    )


def by_key(rows):
    return {row.key: row for row in rows}


# --- known / unknown / not taking part ---------------------------------------------------------


def test_missing_result_of_an_incomplete_row_is_unknown_not_zero():
    competitors = [
        Competitor("ann", "Ann"),
        Competitor("bob", "Bob"),
        Competitor("cat", "Cat", results_complete=False),
    ]
    results = race(1, "cat", "ann", "bob") + race(2, "ann", "bob") + race(3, "bob", "ann")
    rows = by_key(compute_standings(season(competitors, results)))
    cat = rows["cat"]
    assert [item.points for item in cat.rounds] == [Decimal(10), None, None]
    assert cat.unknown_rounds == (2, 3)
    assert cat.complete is False
    assert cat.points == Decimal(10)  # the known rounds only, flagged incomplete
    assert cat.position is None and cat.gap is None  # listed, not ranked as if complete
    assert cat.eligible is True
    # The complete rows are ranked among themselves.
    assert (rows["ann"].position, rows["bob"].position) == (1, 2)
    assert rows["ann"].complete and rows["bob"].complete


def test_missing_result_of_a_complete_row_is_not_taking_part():
    competitors = [Competitor("ann", "Ann"), Competitor("bob", "Bob")]
    results = race(1, "ann", "bob") + race(2, "ann")
    rows = by_key(compute_standings(season(competitors, results, rounds=2)))
    bob = rows["bob"]
    assert [item.points for item in bob.rounds] == [Decimal(6), Decimal(0)]
    assert bob.complete is True and bob.position == 2


def test_held_session_without_any_result_makes_incomplete_rows_unknown():
    competitors = [Competitor("ann", "Ann"), Competitor("cat", "Cat", results_complete=False)]
    results = race(1, "ann", "cat")
    held = [HeldSession(1, "race"), HeldSession(2, "race")]
    rows = by_key(compute_standings(season(competitors, results, rounds=3, held=held)))
    assert [item.points for item in rows["cat"].rounds] == [Decimal(6), None, Decimal(0)]
    assert [item.points for item in rows["ann"].rounds] == [Decimal(10), Decimal(0), Decimal(0)]
    assert rows["ann"].position == 1


def test_a_round_not_yet_run_is_not_unknown():
    competitors = [Competitor("cat", "Cat", results_complete=False)]
    rows = compute_standings(season(competitors, race(1, "cat"), rounds=3))
    assert [item.points for item in rows[0].rounds] == [Decimal(10), Decimal(0), Decimal(0)]
    assert rows[0].complete and rows[0].position == 1


def test_unknown_round_of_a_two_race_weekend_is_unknown_as_a_whole():
    competitors = [Competitor("ann", "Ann"), Competitor("cat", "Cat", results_complete=False)]
    results = race(1, "ann", "cat", session="race-1") + race(1, "ann", session="race-2")
    rows = by_key(compute_standings(season(competitors, results, rounds=1)))
    assert rows["cat"].rounds[0].points is None
    assert rows["cat"].rounds[0].positions == (2, None)


def test_incomplete_row_drops_nothing():
    competitors = [Competitor("ann", "Ann"), Competitor("cat", "Cat", results_complete=False)]
    results = race(1, "ann", "cat") + race(2, "cat", "ann")
    data = season(competitors, results, rounds=3, held=[HeldSession(3, "race")], drop_worst=1)
    rows = by_key(compute_standings(data))
    assert not any(item.dropped for item in rows["cat"].rounds)
    assert rows["cat"].points == Decimal(16)
    assert sum(item.dropped for item in rows["ann"].rounds) == 1


def test_teams_round_is_unknown_when_one_of_its_cars_is():
    competitors = [
        Competitor("ann", "Ann", team_key="red"),
        Competitor("cat", "Cat", team_key="red", results_complete=False),
        Competitor("bob", "Bob", team_key="blue"),
    ]
    results = race(1, "ann", "cat", "bob") + race(2, "bob", "ann")
    teams = [Team("red", "Red"), Team("blue", "Blue")]
    rows = by_key(
        compute_standings(season(competitors, results, rounds=2, teams=teams), table="teams")
    )
    assert [item.points for item in rows["red"].rounds] == [Decimal(16), None]
    assert rows["red"].complete is False and rows["red"].position is None
    assert rows["blue"].complete and rows["blue"].position == 1


def test_guest_without_results_does_not_make_a_team_unknown():
    competitors = [
        Competitor("ann", "Ann", team_key="red"),
        Competitor("gus", "Gus", team_key="red", guest=True, results_complete=False),
    ]
    data = season(competitors, race(1, "ann"), rounds=1, teams=[Team("red", "Red")])
    rows = compute_standings(data, table="teams")
    assert rows[0].complete and rows[0].position == 1


# --- countback_kinds -----------------------------------------------------------------------------


def f1_weekend(round_number, sprint_order, race_order):
    return race(round_number, *sprint_order, session="sprint", kind="sprint") + race(
        round_number, *race_order, session="race", kind="race"
    )


def test_sprint_places_score_but_are_not_wins_when_only_races_count_back():
    competitors = [Competitor("max", "Max"), Competitor("lewis", "Lewis")]
    results = f1_weekend(1, ["max", "lewis"], ["lewis", "max"])
    data = season(
        competitors,
        results,
        rounds=1,
        race_points=(25, 18),
        sprint_points=(8, 7),
        countback_kinds=("race",),
    )
    rows = by_key(compute_standings(data))
    assert rows["max"].points == Decimal(8 + 18)
    assert rows["lewis"].points == Decimal(7 + 25)
    assert (rows["max"].wins, rows["lewis"].wins) == (0, 1)
    assert (rows["max"].podiums, rows["lewis"].podiums) == (1, 1)
    # Default: every scoring kind counts, so the sprint win is a win.
    default = by_key(
        compute_standings(
            season(competitors, results, rounds=1, race_points=(25, 18), sprint_points=(8, 7))
        )
    )
    assert (default["max"].wins, default["lewis"].wins) == (1, 1)


def test_two_f1_weekends_count_only_race_wins():
    # Max wins both sprints, Lewis both races.
    competitors = [Competitor("max", "Max"), Competitor("lewis", "Lewis")]
    results = f1_weekend(1, ["max", "lewis"], ["lewis", "max"]) + f1_weekend(
        2, ["max", "lewis"], ["lewis", "max"]
    )
    scales = {"race_points": (25, 18), "sprint_points": (8, 7)}
    every = by_key(compute_standings(season(competitors, results, rounds=2, **scales)))
    races = by_key(
        compute_standings(
            season(competitors, results, rounds=2, countback_kinds=("race",), **scales)
        )
    )
    # Points don't change: Max 8+18 twice, Lewis 7+25 twice.
    assert every["max"].points == races["max"].points == Decimal(52)
    assert every["lewis"].points == races["lewis"].points == Decimal(64)
    assert every["max"].wins == 2 and races["max"].wins == 0
    assert every["lewis"].wins == races["lewis"].wins == 2


def test_countback_uses_only_the_counted_kinds():
    competitors = [Competitor("a", "A"), Competitor("b", "B")]
    # Sprint: a 1st, b 2nd. Race: b 1st, a 2nd. Same scale for both, so 19 points each.
    results = f1_weekend(1, ["a", "b"], ["b", "a"])
    scales = {"race_points": (10, 9), "sprint_points": (10, 9)}
    every = compute_standings(season(competitors, results, rounds=1, **scales))
    # Both 19 points, both one win and one second: the latest-round tie-break on best result
    # finds them equal, so the name decides (A first).
    assert [row.key for row in every] == ["a", "b"]
    races = compute_standings(
        season(competitors, results, rounds=1, countback_kinds=("race",), **scales)
    )
    # Only the race counts back: b won it, so b is ahead on equal points.
    assert [row.key for row in races] == ["b", "a"]
    assert races[0].points == races[1].points == Decimal(19)


def test_unknown_countback_kind_is_refused():
    competitors = [Competitor("a", "A")]
    with pytest.raises(ValueError, match="countback_kinds"):
        compute_standings(season(competitors, race(1, "a"), countback_kinds=("qualifying",)))


# --- countback_kinds from a season file to the table ---------------------------------------------

F1_TOML = """\
series = "sprint-series"
year = 2024
name = "Sprint series 2024"
classes = []

[scoring]
race = [25, 18]
sprint = [8, 7]
countback_kinds = {kinds}

[[rounds]]
number = 1
date = 2024-05-05
event = "weekend"
multiplier = 1
sessions = ["sprint", "race"]
"""


@pytest.fixture
def sprint_calendar(db):
    import datetime as dt

    from tests.factories import make_event, make_series

    make_series(name="Sprint series", slug="sprint-series")
    make_event(start=dt.date(2024, 5, 4), end_date=dt.date(2024, 5, 5), slug="weekend")


@pytest.mark.django_db
def test_season_file_countback_kinds_reaches_the_table(sprint_calendar):
    from series.imports.api import import_season
    from series.models import Entry, Result, SessionStatus
    from series.selectors.standings import get_standings
    from tests.factories import make_driver

    season, _ = import_season(F1_TOML.format(kinds='["race"]'))
    assert season.scoring.countback_kinds == ["race"]
    max_, lewis = make_driver(name="Max Racer"), make_driver(name="Lewis Racer")
    entries = {
        driver: Entry.objects.create(season=season, driver=driver) for driver in (max_, lewis)
    }
    sessions = {session.kind: session for session in season.rounds.get().sessions.all()}
    # Max wins the sprint, Lewis the race.
    for kind, order in (("sprint", [max_, lewis]), ("race", [lewis, max_])):
        session = sessions[kind]
        for position, driver in enumerate(order, start=1):
            Result.objects.create(session=session, entry=entries[driver], position=position)
        session.status = SessionStatus.FINAL
        session.save()
    rows = {row.key: row for row in get_standings(season).rows}
    assert rows[max_.slug].points == Decimal(8 + 18) and rows[max_.slug].wins == 0
    assert rows[lewis.slug].points == Decimal(7 + 25) and rows[lewis.slug].wins == 1


@pytest.mark.django_db
@pytest.mark.parametrize("kinds", ['["qualifying"]', '"race"', '["race", "race"]'])
def test_bad_countback_kinds_is_named_with_its_line(sprint_calendar, kinds):
    from series.imports.api import import_season
    from series.imports.report import ImportFailed
    from series.models import Season

    with pytest.raises(ImportFailed) as failed:
        import_season(F1_TOML.format(kinds=kinds))
    [error] = failed.value.errors
    assert error.row == 9
    assert "scoring.countback_kinds must be a list of distinct session kinds" in error.message
    assert not Season.objects.exists()


def test_without_a_points_scale_places_are_known_and_points_unknown():
    """A winners-only season whose scale is not on record: the winner has a win, not 0 points."""
    from series import standings as engine

    season = engine.SeasonData(
        rules=engine.Rules(race_points=()),
        rounds=(engine.RoundInfo(number=1),),
        competitors=(
            engine.Competitor(key="ito", name="Reimei Ito"),
            engine.Competitor(key="henzan", name="Ryoma Henzan"),
        ),
        results=(
            engine.ResultRow(round=1, session="race", kind="race", driver="ito", position=1),
            engine.ResultRow(round=1, session="race", kind="race", driver="henzan", position=2),
        ),
    )
    rows = engine.compute_standings(season)
    ito = next(row for row in rows if row.key == "ito")
    assert ito.wins == 1
    assert not ito.complete
    assert [item.points for item in ito.rounds] == [None]


def test_without_any_points_scale_a_round_not_raced_is_not_a_known_zero():
    """A complete row (every result on record) that missed a round of a season with no scale at
    all: its total is unknown, not "0+?" (the published tables of such seasons read as 0 before)."""
    from series import standings as engine

    season = engine.SeasonData(
        rules=engine.Rules(race_points=()),
        rounds=(engine.RoundInfo(number=1), engine.RoundInfo(number=2)),
        competitors=(
            engine.Competitor(key="klein", name="Marvin Klein", results_complete=True),
            engine.Competitor(key="other", name="Dorian Boccolacci", results_complete=True),
        ),
        results=(
            engine.ResultRow(round=1, session="race", kind="race", driver="klein", position=1),
            engine.ResultRow(round=2, session="race", kind="race", driver="other", position=1),
        ),
    )
    klein = next(row for row in engine.compute_standings(season) if row.key == "klein")
    assert klein.wins == 1
    assert [item.points for item in klein.rounds] == [None, None]
    assert klein.points_unknown and klein.position is None


@pytest.mark.django_db
def test_a_season_without_a_points_scale_draws_no_chart_and_shows_no_zero(client):
    from tests import factories as f

    season = f.make_season(f.make_series(name="Scale-less Cup"))
    season.scoring.race_points = []
    season.scoring.save()
    race = f.make_session(f.make_round(season, 1))
    f.make_result(race, f.make_entry(season, f.make_driver("Reimei Ito")), 1)
    html = client.get(f"{season.get_absolute_url()}standings/").content.decode()
    assert "<svg" not in html
    assert '<td class="num total">0' not in html
    assert "points not on record" in html
