from .calendar import SCORING_KINDS, Round, Session, SessionKind, SessionStatus
from .history import Champion
from .media import CacheVersion, MediaKind, MediaLink, SiteVersion
from .people import Driver, Entry, Team, TeamAlias
from .pyramid import CarGeneration, Series, Tier
from .results import CLASSIFIABLE_STATUSES, Adjustment, Result, ResultStatus
from .season import (
    SUPERCUP_SCALE,
    ClassScoring,
    GuestRule,
    ScoringRules,
    Season,
    SeasonClass,
)
from .venue import Circuit, DatePrecision, Event, EventKind

__all__ = [
    "SCORING_KINDS",
    "SUPERCUP_SCALE",
    "CLASSIFIABLE_STATUSES",
    "Adjustment",
    "CacheVersion",
    "CarGeneration",
    "Champion",
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
    "Team",
    "TeamAlias",
    "Tier",
]
