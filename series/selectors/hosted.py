"""The rounds a season ran at one event, grouped for the event, circuit and calendar pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from ..models import (
    Round,
    Season,
    Series,
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
        key=lambda h: (h.series.tier, h.series.name, h.season.year),
    )


def _rounds_with_series() -> QuerySet[Round]:
    return Round.objects.select_related("season__series").order_by("season__series__tier", "number")
