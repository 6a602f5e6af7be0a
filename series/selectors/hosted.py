"""The rounds a season ran at one event, grouped for the event, circuit and calendar pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from ..models import (
    Round,
    Season,
    Series,
    Tier,
)


def round_span(numbers: list[int]) -> str:
    """'Round 4', 'Rounds 13–14', 'Rounds 1, 3, 5–6': how a fan reads which races ran."""
    numbers = sorted(set(numbers))
    if not numbers:
        return ""
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    text = ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)
    return f"Round {text}" if len(numbers) == 1 else f"Rounds {text}"


@dataclass
class HostedSeason:
    """The rounds one season ran at one event."""

    season: Season
    rounds: list[Round] = field(default_factory=list)

    @property
    def series(self) -> Series:
        return self.season.series

    @property
    def span(self) -> str:
        return round_span([r.number for r in self.rounds])


def hosted_seasons(rounds: list[Round]) -> list[HostedSeason]:
    """Group an event's rounds by season, top of the pyramid first (rounds carry season__series)."""
    by_season: dict[int, HostedSeason] = {}
    for round_ in rounds:
        by_season.setdefault(round_.season_id, HostedSeason(round_.season)).rounds.append(round_)
    return sorted(
        by_season.values(),
        key=lambda h: _pyramid_order(h.series.tier, h.series.name, h.season.year),
    )


def _pyramid_order(tier: int, series_name: str, year: int) -> tuple[int, str, int]:
    """The order an event's seasons are listed in: top of the pyramid first, then A-Z."""
    return (tier, series_name, year)


def _rounds_with_series() -> QuerySet[Round]:
    return Round.objects.select_related("season__series").order_by("season__series__tier", "number")


# --- the listings' plain lines -----------------------------------------------------------------
# The events directory and the calendar print hundreds of events, each with the seasons it hosted:
# they read plain values from one query of rows (no model instances; an event's and its circuit's
# address from the page's Addresses), the seasons hosted written out by each listing's loop.


# Event fields a listing reads, then the fields of one of its rounds (values_list order).
EVENT_FIELDS = (
    "slug",
    "name",
    "start_date",
    "end_date",
    "date_precision",
    "circuit__slug",
    "circuit__name",
    "circuit__country",
)
ROUND_FIELDS = (
    "season_id",
    "number",
    "season__year",
    "season__series__slug",
    "season__series__name",
    "season__series__short_name",
    "season__series__tier",
)


def _tier_label(tier: int) -> str:
    return str(Tier(tier).label)
