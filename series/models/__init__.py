from .calendar import (
    FINAL_STATUSES,
    PUBLISHED_STATUSES,
    SCORING_KINDS,
    Round,
    Session,
    SessionKind,
    SessionStatus,
)
from .history import Champion, TitleKind
from .media import CacheVersion, MediaKind, MediaLink, SiteVersion
from .people import Driver, Entry, Team, TeamAlias
from .pyramid import CarGeneration, Series, Tier
from .results import CLASSIFIABLE_STATUSES, Adjustment, Result, ResultStatus
from .revisions import ClassificationRevision, Penalty, PenaltyKind, RevisionKind
from .season import (
    SUPERCUP_SCALE,
    ClassScoring,
    GuestRule,
    PublishedStanding,
    ScoringRules,
    Season,
    SeasonClass,
)
from .standings import StandingsSnapshot, StoredStanding
from .venue import Circuit, DatePrecision, Event, EventKind

__all__ = [
    "FINAL_STATUSES",
    "PUBLISHED_STATUSES",
    "ClassificationRevision",
    "Penalty",
    "PenaltyKind",
    "RevisionKind",
    "SCORING_KINDS",
    "SUPERCUP_SCALE",
    "CLASSIFIABLE_STATUSES",
    "Adjustment",
    "CacheVersion",
    "CarGeneration",
    "Champion",
    "TitleKind",
    "Circuit",
    "ClassScoring",
    "DatePrecision",
    "Driver",
    "Entry",
    "Event",
    "EventKind",
    "GuestRule",
    "MediaKind",
    "MediaLink",
    "PublishedStanding",
    "Result",
    "ResultStatus",
    "Round",
    "ScoringRules",
    "Season",
    "SeasonClass",
    "Series",
    "Session",
    "SessionKind",
    "SessionStatus",
    "SiteVersion",
    "StandingsSnapshot",
    "StoredStanding",
    "Team",
    "TeamAlias",
    "Tier",
]
