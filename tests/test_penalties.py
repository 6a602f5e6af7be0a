"""Penalties as data: time penalties re-order where times are known, a disqualification clears the
position, a grid penalty is recorded on the grid; preview, then confirm as a revision."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from series.models import Penalty, PenaltyKind, Result, RevisionKind, SessionStatus
from series.penalties import apply_time_penalties, confirm_penalties
from series.revisions import record_revision
from tests.factories import (
    make_driver,
    make_entry,
    make_result,
    make_round,
    make_season,
    make_session,
)

pytestmark = pytest.mark.django_db


def t(minutes: int, seconds: float) -> dt.timedelta:
    return dt.timedelta(minutes=minutes, seconds=seconds)


@pytest.fixture
def race():
    """Four cars: three on the lead lap with times, a lapped car; published final."""
    season = make_season(year=2023)
    race = make_session(make_round(season, 1), status=SessionStatus.FINAL)
    cars = {}
    for position, (name, number, laps, time, gap) in enumerate(
        [
            ("Harry King", 7, 20, t(38, 12.345), ""),
            ("Larry ten Voorde", 1, 20, t(38, 14.0), "+1.655"),
            ("Bastian Buus", 11, 20, t(38, 20.5), "+8.155"),
            ("Dylan Pereira", 9, 19, t(37, 1.0), "+1 lap"),
        ],
        start=1,
    ):
        entry = make_entry(season, make_driver(name), car_number=number)
        cars[number] = make_result(
            race, entry, position, laps=laps, race_time=time, gap=gap, grid=position
        )
    record_revision(race, editor=None, kind=RevisionKind.IMPORT)
    return race


def _penalise(race, number: int, kind=PenaltyKind.TIME, **kwargs) -> Penalty:
    result = Result.objects.get(session=race, car_number=number)
    defaults = {"reason": "track limits", "source": "Decision 12"}
    defaults.update(kwargs)
    return Penalty.objects.create(session=race, entry=result.entry, kind=kind, **defaults)


def _order(race) -> list[tuple[int, int | None, str]]:
    return [
        (r.car_number, r.position, r.status)
        for r in sorted(
            Result.objects.filter(session=race),
            key=lambda r: (r.position is None, r.position or 0),
        )
    ]


def test_time_penalty_reorders_the_preview_and_writes_nothing_until_confirmed(race):
    _penalise(race, 7, seconds=Decimal("10"))
    proposal = apply_time_penalties(race)
    assert [(car.number, car.new_position) for car in proposal.cars] == [
        (1, 1),
        (11, 2),
        (7, 3),
        (9, 4),
    ]
    moved = {car.number: car.moved for car in proposal.changes}
    assert moved[7] == "1st → 3rd"
    assert moved[1] == "2nd → 1st"
    # Nothing written by the preview.
    assert _order(race)[0] == (7, 1, "finished")

    revision = confirm_penalties(race, expected=proposal.fingerprint)
    assert _order(race) == [
        (1, 1, "finished"),
        (11, 2, "finished"),
        (7, 3, "finished"),
        (9, 4, "finished"),
    ]
    king = Result.objects.get(session=race, car_number=7)
    assert king.race_time == t(38, 22.345)
    assert king.time_penalty == dt.timedelta(seconds=10)
    assert king.penalty == "+10 s (track limits)"
    assert king.gap == "+8.345"
    assert Result.objects.get(session=race, car_number=1).gap == ""
    assert Result.objects.get(session=race, car_number=11).gap == "+6.500"
    assert Result.objects.get(session=race, car_number=9).gap == "+1 lap"  # lapped: as published
    assert revision.kind == RevisionKind.PENALTY
    assert revision.reason == "Car 7 +10 s: track limits"
    assert revision.source == "Decision 12"
    race.refresh_from_db()
    assert race.status == SessionStatus.AMENDED


def test_applying_the_same_penalties_again_changes_nothing(race):
    _penalise(race, 7, seconds=Decimal("10"))
    confirm_penalties(race, expected=apply_time_penalties(race).fingerprint)
    again = apply_time_penalties(race)
    assert not again.changed
    assert confirm_penalties(race, expected=again.fingerprint) is None
    assert Result.objects.get(session=race, car_number=7).race_time == t(38, 22.345)


def test_a_lapped_car_stays_behind_by_laps(race):
    # Sixty seconds would put car 7's time past the lapped car's, which covered a lap less.
    _penalise(race, 7, kind=PenaltyKind.DRIVE_THROUGH, seconds=Decimal("60"))
    proposal = apply_time_penalties(race)
    assert [(car.number, car.new_position) for car in proposal.cars] == [
        (1, 1),
        (11, 2),
        (7, 3),
        (9, 4),
    ]
    assert proposal.cars[2].penalty_text == "+60 s (drive-through) (track limits)"


def test_a_car_whose_time_is_unknown_keeps_its_place(race):
    Result.objects.filter(session=race, car_number=1).update(race_time=None, gap="")
    _penalise(race, 7, seconds=Decimal("10"))
    proposal = apply_time_penalties(race)
    # Car 1 (2nd, no time) keeps 2nd; car 7 falls behind car 11, whose time is known.
    assert [(car.number, car.new_position) for car in proposal.cars] == [
        (11, 1),
        (1, 2),
        (7, 3),
        (9, 4),
    ]


def test_times_derived_from_published_gaps_when_only_the_winner_has_a_time(race):
    Result.objects.filter(session=race, car_number__in=[1, 11]).update(race_time=None)
    _penalise(race, 1, seconds=Decimal("7"))  # +1.655 becomes +8.655, behind +8.155
    proposal = apply_time_penalties(race)
    assert [(car.number, car.new_position, car.new_gap) for car in proposal.cars[:3]] == [
        (7, 1, ""),
        (11, 2, "+8.155"),
        (1, 3, "+8.655"),
    ]
    confirm_penalties(race, expected=proposal.fingerprint, reason="Decision 14")
    assert Result.objects.get(session=race, car_number=1).race_time is None  # still unknown


def test_disqualification_clears_the_position_and_moves_the_cars_behind_up(race):
    _penalise(race, 7, kind=PenaltyKind.DISQUALIFICATION, reason="car under weight")
    revision = confirm_penalties(race, expected=apply_time_penalties(race).fingerprint)
    assert _order(race) == [
        (1, 1, "finished"),
        (11, 2, "finished"),
        (9, 3, "finished"),
        (7, None, "dsq"),
    ]
    points = {car["number"]: car["points"] for car in revision.snapshot}
    assert points == {1: "25", 11: "20", 9: "17", 7: "0"}
    assert revision.reason == "Car 7 disqualified: car under weight"


def test_grid_penalty_is_recorded_on_the_grid_and_leaves_the_order(race):
    _penalise(race, 11, kind=PenaltyKind.GRID, grid_places=3, reason="impeding in qualifying")
    proposal = apply_time_penalties(race)
    assert [car.new_position for car in proposal.cars] == [1, 2, 3, 4]
    confirm_penalties(race, expected=proposal.fingerprint)
    buus = Result.objects.get(session=race, car_number=11)
    assert (buus.grid_penalty, buus.grid, buus.position) == (3, 3, 3)


def test_a_rescinded_penalty_is_taken_back_on_the_next_application(race):
    penalty = _penalise(race, 7, seconds=Decimal("10"))
    confirm_penalties(race, expected=apply_time_penalties(race).fingerprint)
    penalty.rescinded = True
    penalty.save()
    proposal = apply_time_penalties(race)
    revision = confirm_penalties(race, expected=proposal.fingerprint, reason="Appeal upheld")
    assert _order(race)[0] == (7, 1, "finished")
    king = Result.objects.get(session=race, car_number=7)
    assert (king.race_time, king.time_penalty, king.penalty) == (t(38, 12.345), None, "")
    assert revision.number == 3


def test_a_confirmation_of_a_stale_preview_is_refused(race):
    _penalise(race, 7, seconds=Decimal("10"))
    stale = apply_time_penalties(race).fingerprint
    _penalise(race, 1, seconds=Decimal("30"))
    with pytest.raises(ValueError, match="changed since the preview"):
        confirm_penalties(race, expected=stale)
    assert _order(race)[0] == (7, 1, "finished")


def test_editor_previews_and_confirms_penalties_in_the_admin(race, editor):
    _penalise(race, 7, seconds=Decimal("10"))
    url = reverse("admin:series_penalty_apply", args=[race.pk])
    page = editor.get(url)
    assert page.status_code == 200
    assert "1st → 3rd" in page.content.decode()
    fingerprint = page.context["proposal"].fingerprint
    response = editor.post(url, {"proposal": fingerprint, "reason": "", "source": ""})
    assert response.status_code == 302
    assert _order(race)[0] == (1, 1, "finished")
    assert race.revisions.latest().editor.username == "editor"


# --- properties ---------------------------------------------------------------------------------

car = st.tuples(
    st.sampled_from([20, 20, 20, 19]),  # laps
    st.one_of(st.none(), st.integers(min_value=0, max_value=60_000)),  # ms behind 38:00
    st.sampled_from([None, None, Decimal(5), Decimal(30), "dsq"]),  # the stewards' decision
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cars=st.lists(car, min_size=1, max_size=8))
def test_penalties_keep_the_classification_consistent(db, cars):
    season = make_season(year=2023)
    race = make_session(make_round(season, 1))
    # The published order: laps, then time (unknown times after the known ones of their lap).
    published = sorted(cars, key=lambda c: (-c[0], c[1] is None, c[1] or 0))
    for position, (laps, behind, decision) in enumerate(published, start=1):
        entry = make_entry(season, car_number=position)
        make_result(
            race,
            entry,
            position,
            laps=laps,
            race_time=None if behind is None else t(38, 0) + dt.timedelta(milliseconds=behind),
        )
        if decision == "dsq":
            Penalty.objects.create(session=race, entry=entry, kind="dsq", reason="technical")
        elif decision is not None:
            Penalty.objects.create(
                session=race, entry=entry, kind="time", seconds=decision, reason="track limits"
            )
    proposal = apply_time_penalties(race)
    confirm_penalties(race, expected=proposal.fingerprint, reason="Decisions")  # no clash

    results = sorted(
        Result.objects.filter(session=race, position__isnull=False), key=lambda r: r.position
    )
    disqualified = Result.objects.filter(session=race, status="dsq").count()
    # Every classified car keeps a place, the disqualified close up: 1..n without a gap.
    assert [r.position for r in results] == list(range(1, len(results) + 1))
    assert len(results) + disqualified == len(cars)
    # A car never passes one that covered more laps; on a lap, known times run in order.
    timed = [r for r in results if r.race_time is not None]
    for ahead, behind in zip(timed, timed[1:], strict=False):
        assert (ahead.laps, -ahead.race_time.total_seconds()) >= (
            behind.laps,
            -behind.race_time.total_seconds(),
        )
    # Applying again changes nothing.
    assert not apply_time_penalties(race).changed
