"""Response shapes of the API. Nested objects name each other by slug, the public site's stable
identifiers; dates are ISO 8601, times of day are UTC, durations are strings as published."""

import datetime as dt

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str


class DriverRef(Schema):
    slug: str
    name: str
    nationality: str


class TeamRef(Schema):
    slug: str
    name: str


class SeriesRef(Schema):
    slug: str
    name: str
    tier: int


class EventRef(Schema):
    slug: str
    name: str


class CircuitRef(Schema):
    slug: str
    name: str
    country: str


class RoundRef(Schema):
    series: str = Field(description="series slug")
    year: int
    number: int


# --- series and seasons ----------------------------------------------------------------------


class SeriesOut(Schema):
    slug: str
    name: str
    short_name: str
    tier: int = Field(description="1 Supercup, 2 national Carrera Cup, 3 Sprint Challenge etc.")
    tier_label: str
    country: str
    region: str
    first_year: int | None
    last_year: int | None = Field(description="null while the series still runs")
    feeds_into: str | None = Field(description="slug of the series next up the pyramid")
    url: str = Field(description="the series' page on this site")


class SeasonSummary(Schema):
    year: int
    name: str
    car: str
    results_partial: bool


class SeriesDetailOut(SeriesOut):
    organiser: str
    sanctioning_body: str
    website: str
    description: str
    source: str = Field(
        description="where the facts come from: the citations the pages show, separated by "
        "semicolons (our own data files' names left out)"
    )
    feeders: list[str] = Field(description="slugs of the series that feed into this one")
    seasons: list[SeasonSummary]
    champions_count: int = Field(description="titles on record, every class counted")


class SeasonOut(Schema):
    series: SeriesRef
    year: int
    name: str
    car: str
    car_generation: str | None = Field(description="slug of the Cup car generation")
    results_partial: bool = Field(description="the results entered are known to be incomplete")
    url: str


class ClassOut(Schema):
    slug: str
    name: str
    order: int
    drop_worst: int | None = Field(description="overrides the season's drop rule for this class")
    undroppable_last: int | None


class ScoringOut(Schema):
    race_points: list[int] = Field(description="points for 1st, 2nd, ...")
    sprint_points: list[int] = Field(description="empty: the race scale")
    pole_points: int
    fastest_lap_points: int
    fastest_lap_top: int = Field(description="fastest-lap bonus only in the top N (0: any)")
    guests: str = Field(description="pass-down or skip")
    drop_worst: int
    undroppable_last: int
    team_cars: int = Field(description="best N cars of a team score per session (0: all)")
    class_scoring: str = Field(description="class-position or overall-position")
    countback_kinds: list[str] = Field(
        description="session kinds whose places count as wins and in the countback (empty: all)"
    )


class SessionSummary(Schema):
    slug: str
    name: str
    kind: str
    date: dt.date
    starts_at: dt.datetime | None = Field(description="UTC; null while not known")
    ends_at: dt.datetime | None = Field(
        description="UTC: the start plus the published length (an hour when not published)"
    )
    status: str
    state: str = Field(
        description="as the pages show it: scheduled, no-results (held, none entered), "
        "provisional, final or cancelled"
    )
    date_exact: bool = Field(description="false when only the weekend or month is known")
    date_label: str = Field(
        description='the day in words, as precise as known: "weekend of 14–16 April 2023"'
    )


class RoundOut(Schema):
    number: int
    name: str
    date: dt.date = Field(description="the race day; a placeholder unless date_precision is day")
    date_precision: str = Field(description="day, weekend or month: how much of `date` is known")
    date_label: str = Field(description="the date as precisely as it is known, in words")
    multiplier: float
    event: EventRef
    circuit: CircuitRef
    sessions: list[SessionSummary]


class EntryOut(Schema):
    driver: DriverRef
    team: TeamRef | None
    number: int | None
    class_: str | None = Field(None, alias="class", description="class slug")
    guest: bool
    rookie: bool


class SeasonChampionOut(Schema):
    class_: str = Field(alias="class", description="overall, or the class as published")
    name: str
    driver: str | None = Field(description="driver slug, where the record links one")
    published_points: float | None = Field(description="null: the published points not held")


class SeasonDetailOut(SeasonOut):
    state: str = Field(description="none, partial, provisional, running or final")
    in_progress: bool = Field(description="a round still to run or a result not yet final")
    champions: list[SeasonChampionOut] = Field(
        description="titles on record, with the published points where held (finished seasons)"
    )
    results_note: str
    notes: str = Field(
        description="always empty: editors' notes are private (kept so that v1 clients parse)"
    )
    source: str = Field(
        description="where the facts come from: the citations the pages show, separated by "
        "semicolons (our own data files' names left out)"
    )
    classes: list[ClassOut]
    scoring: ScoringOut | None
    rounds: list[RoundOut]
    entries: list[EntryOut]


# --- standings -------------------------------------------------------------------------------


class RoundPointsOut(Schema):
    round: int
    points: float | None = Field(description="null: the result is unknown (never 0 for unknown)")
    dropped: bool


class StandingRowOut(Schema):
    position: int | None = Field(description="null: not ranked (guest, excluded, incomplete)")
    driver: DriverRef | None = None
    team: TeamRef | None = None
    complete: bool = Field(description="false: some round's result is unknown; not ranked")
    points: float | None = Field(description="null for an incomplete row: see points_known")
    points_known: float | None = Field(
        description="the points of the known rounds (no drops if incomplete); null when no "
        "round's points are known (no points scale on record)"
    )
    wins: int | None = Field(description="null for an incomplete row: see wins_known")
    wins_known: int
    podiums: int | None
    podiums_known: int
    published_points: float | None = Field(
        None, description="the organiser's published figure for this row, where held"
    )
    gap: float | None
    eligible: bool
    excluded: bool
    rounds: list[RoundPointsOut]


class StandingsOut(Schema):
    series: str
    year: int
    table: str
    class_: str | None = Field(None, alias="class")
    after_round: int | None
    last_round: int | None = Field(description="the last round with a result on record")
    state: str = Field(description="none, partial, provisional, running or final")
    in_progress: bool = Field(description="a round still to run or a result not yet final")
    basis: str = Field(description="what the figures are: computed from the results on record")
    complete: bool
    partial: bool
    champions: list[SeasonChampionOut] = Field(description="titles on record (finished seasons)")
    rows: list[StandingRowOut]

    model_config = {"populate_by_name": True}


# --- events and sessions ---------------------------------------------------------------------


class EventOut(Schema):
    slug: str
    name: str
    kind: str
    circuit: CircuitRef
    start_date: dt.date
    end_date: dt.date
    date_precision: str = Field(
        description="day, weekend or month: with month, start_date and end_date are placeholders "
        "within the month"
    )
    dates_label: str = Field(description='the dates in words, as precise as known: "April 2004"')
    supports: str = Field(description="the headline meeting it supports, if any")
    parent: str | None = Field(description="slug of the event in this database it supports")
    rounds: list[RoundRef]
    url: str


class EventSessionOut(SessionSummary):
    duration_minutes: int | None
    round: RoundRef | None


class CitationOut(Schema):
    text: str = Field(description="the citation as written, without our own data files' names")
    urls: list[str] = Field(description="the addresses it names")


class EventDetailOut(EventOut):
    dates_note: str
    description: str
    sources: list[CitationOut] = Field(description="where the facts come from")
    support_events: list[str]
    sessions: list[EventSessionOut]


class ResultOut(Schema):
    position: int | None = Field(description="null when not classified")
    class_position: int | None = Field(description="position among classified cars of the class")
    status: str
    driver: DriverRef
    team: TeamRef | None
    number: int | None
    class_: str | None = Field(None, alias="class", description="class slug")
    guest: bool
    laps: int | None
    time: str | None = Field(description="race time as published, 38:12.345 or 1:02:03.456")
    gap: str
    best_lap: str | None
    grid: int | None
    pole: bool
    fastest_lap: bool
    penalty: str


class SessionDetailOut(Schema):
    event: EventRef
    slug: str
    name: str
    kind: str
    date: dt.date
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None = Field(description="UTC; null while the start is not known")
    duration_minutes: int | None
    status: str = Field(description="scheduled, provisional, final or cancelled")
    state: str = Field(
        description="as the pages show it: scheduled, no-results, provisional, final, cancelled"
    )
    date_exact: bool = Field(description="false when only the weekend or month is known")
    date_label: str = Field(description="the day in words, as precise as known")
    round: RoundRef | None
    results: list[ResultOut]
    url: str


# --- people, places, titles ------------------------------------------------------------------


class DriverOut(Schema):
    slug: str
    name: str
    nationality: str
    url: str


class CareerSeasonOut(Schema):
    series: SeriesRef
    year: int
    team: TeamRef | None
    class_: str | None = Field(None, alias="class", description="class slug")
    number: int | None
    guest: bool
    results: str = Field(
        description="complete, partial (only some rows of the season are entered) or none"
    )
    starts: int | None = Field(
        description="races and sprints started; null when unknown (no results entered, or a "
        "partial season without this driver's rows). A cancelled race counts for nothing."
    )
    wins: int | None
    podiums: int | None
    position: int | None = Field(description="final place in the computed table, where ranked")


class TitleOut(Schema):
    series: SeriesRef
    year: int
    class_name: str
    url: str = Field(
        description="the season's page, or the series' where the season is not on record"
    )


class CareerOut(Schema):
    seasons: int = Field(description="seasons with an entry on record")
    counted_seasons: int = Field(description="seasons whose starts, wins and podiums are known")
    first_year: int | None = Field(description="first of the counted seasons")
    last_year: int | None
    starts: int | None = Field(description="over the counted seasons; null when there are none")
    wins: int | None
    podiums: int | None
    partial: bool = Field(description="some counted seasons hold only part of their results")
    scope: str = Field(
        description='what the figures cover, in words: "in the 2 seasons on record (2022–2023)"'
    )


class DriverDetailOut(DriverOut):
    name_original: str = Field(description="the name in its own script, where it is not Latin")
    career: CareerOut
    seasons: list[CareerSeasonOut]
    titles: list[TitleOut]


class TeamOut(Schema):
    slug: str
    name: str
    country: str
    url: str


class TeamSeasonOut(Schema):
    series: SeriesRef
    year: int
    drivers: list[DriverRef]
    results: str = Field(description="complete, partial or none")
    starts: int | None = Field(description="starts of the team's cars; null when unknown")
    wins: int | None
    podiums: int | None


class TeamDetailOut(TeamOut):
    career: CareerOut
    seasons: list[TeamSeasonOut]


class CircuitOut(Schema):
    slug: str
    name: str
    place: str
    country: str
    time_zone: str = Field(description="IANA name")
    length_km: float | None
    turns: int | None
    url: str


class CircuitEventOut(Schema):
    slug: str
    name: str
    start_date: dt.date
    end_date: dt.date
    date_precision: str
    dates_label: str


class CircuitDetailOut(CircuitOut):
    events: list[CircuitEventOut]


class ChampionOut(Schema):
    series: SeriesRef
    year: int
    class_name: str = Field(description="overall, Pro, Pro-Am, Am, Rookie...")
    driver: DriverRef | None = Field(description="the driver's record here, where linked")
    driver_name: str = Field(description="as the source prints it")
    nationality: str
    team: str
    teams_champion: str
    kind: str = Field(
        description="title; or why the year has none: not-held, cancelled, no-champion "
        "(such a row is never a title)"
    )
    points: float | None = Field(description="the champion's points as published; null: unknown")
    qualifier: str = Field(description="inferred, not stated / sources conflict / low confidence")
