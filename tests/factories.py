"""Small factories for tests: each makes a valid object with sensible defaults, overridable."""

import datetime as dt
import itertools
from decimal import Decimal

from django.utils.text import slugify

from series.models import (
    SUPERCUP_SCALE,
    Circuit,
    Driver,
    Entry,
    Event,
    Result,
    ResultStatus,
    Round,
    ScoringRules,
    Season,
    SeasonClass,
    Series,
    Session,
    SessionKind,
    SessionStatus,
    Team,
    Tier,
)

_counter = itertools.count(1)


def _n() -> int:
    return next(_counter)


def make_series(**kwargs) -> Series:
    n = _n()
    name = kwargs.pop("name", f"Test Cup {n}")
    defaults = {
        "slug": slugify(name),
        "tier": Tier.CARRERA_CUP,
        "country": "Germany",
        "first_year": 1990,
    }
    defaults.update(kwargs)
    return Series.objects.create(name=name, **defaults)


def make_season(
    series: Series | None = None, year: int = 2023, rules: dict | None = None, **kwargs
) -> Season:
    season = Season.objects.create(series=series or make_series(), year=year, **kwargs)
    scoring = {"race_points": list(SUPERCUP_SCALE)}
    scoring.update(rules or {})
    ScoringRules.objects.create(season=season, **scoring)
    return season


def make_class(season: Season, name: str = "Pro", **kwargs) -> SeasonClass:
    return SeasonClass.objects.create(season=season, name=name, slug=slugify(name), **kwargs)


def make_circuit(**kwargs) -> Circuit:
    n = _n()
    name = kwargs.pop("name", f"Test Ring {n}")
    defaults = {"slug": slugify(name), "country": "Germany", "time_zone": "Europe/Berlin"}
    defaults.update(kwargs)
    return Circuit.objects.create(name=name, **defaults)


def make_event(
    circuit: Circuit | None = None, start: dt.date = dt.date(2023, 5, 26), **kwargs
) -> Event:
    n = _n()
    name = kwargs.pop("name", f"Test Weekend {n}")
    defaults = {"slug": slugify(name), "end_date": start + dt.timedelta(days=2)}
    defaults.update(kwargs)
    return Event.objects.create(
        name=name, circuit=circuit or make_circuit(), start_date=start, **defaults
    )


def make_round(season: Season, number: int, event: Event | None = None, **kwargs) -> Round:
    event = event or make_event(start=dt.date(season.year, 3, 1) + dt.timedelta(days=14 * number))
    defaults = {"date": event.end_date, "multiplier": Decimal("1")}
    defaults.update(kwargs)
    return Round.objects.create(season=season, number=number, event=event, **defaults)


def make_session(round: Round, kind: str = SessionKind.RACE, **kwargs) -> Session:
    name = kwargs.pop("name", f"{round.season.series.slug} race {round.number}")
    defaults = {
        "slug": slugify(f"{round.season.series.slug}-r{round.number}-{kind}"),
        "date": round.date,
        "status": SessionStatus.FINAL,
    }
    defaults.update(kwargs)
    return Session.objects.create(event=round.event, round=round, kind=kind, name=name, **defaults)


def make_driver(name: str | None = None, **kwargs) -> Driver:
    name = name or f"Driver {_n()}"
    defaults = {"slug": slugify(name), "nationality": "GER"}
    defaults.update(kwargs)
    return Driver.objects.create(name=name, **defaults)


def make_team(name: str | None = None, **kwargs) -> Team:
    name = name or f"Team {_n()}"
    return Team.objects.create(name=name, slug=slugify(name), **kwargs)


def make_entry(season: Season, driver: Driver | None = None, **kwargs) -> Entry:
    return Entry.objects.create(season=season, driver=driver or make_driver(), **kwargs)


def make_result(session: Session, entry: Entry, position: int | None, **kwargs) -> Result:
    defaults = {
        "status": ResultStatus.FINISHED if position is not None else ResultStatus.RETIRED,
        "car_number": entry.car_number,
    }
    defaults.update(kwargs)
    return Result.objects.create(session=session, entry=entry, position=position, **defaults)
