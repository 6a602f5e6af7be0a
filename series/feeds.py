"""Atom feeds of results: one entry per session an editor has marked final and that has results."""

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import (
    FINAL_STATUSES,
    SCORING_KINDS,
    Result,
    Series,
    Session,
    SessionKind,
)
from .selectors.sessions import session_ends_at

FEED_LENGTH = 50


def final_sessions_with_results() -> QuerySet[Session]:
    """Final sessions of real events and series that have results, newest first, with their
    classified results (best first) prefetched: two queries whatever the number of entries."""
    classified = (
        Result.objects.filter(position__isnull=False)
        .select_related("entry__driver", "entry__team", "team")
        .order_by("position")
    )
    return (
        Session.objects.filter(status__in=FINAL_STATUSES)
        .filter(Exists(Result.objects.filter(session=OuterRef("pk"))))
        .select_related("event__circuit", "round__season__series")
        # Session.classified is declared on the model (headline() reads it); the stubs' plugin
        # refuses a to_attr named like a declared attribute.
        .prefetch_related(
            Prefetch("results", queryset=classified, to_attr="classified")  # type: ignore[no-redef]
        )
        .order_by("-date", F("starts_at").desc(nulls_last=True), "-pk")
    )


def _who(result: Result) -> str:
    """The driver, marked when a guest (classified, but not eligible for points)."""
    return result.entry.driver.name + (" (guest)" if result.entry.guest else "")


def _placing(result: Result) -> str:
    return f"{result.position}. {_who(result)}"


def _team(result: Result) -> str:
    team = result.team or result.entry.team
    return f" ({team.name})" if team else ""


def headline(session: Session) -> str:
    """Who won, in words: the car classified first (`session.classified` prefetched, best first).
    When no car is classified first in the record, it says the winner is not on record."""
    first = next((r for r in session.classified if r.position == 1), None)
    if session.kind == SessionKind.QUALIFYING:
        return f"pole for {_who(first)}" if first else "pole sitter not on record"
    if session.kind in SCORING_KINDS or session.kind == SessionKind.OTHER:
        return f"won by {_who(first)}" if first else "winner not on record"
    return f"fastest: {_who(first)}" if first else "fastest not on record"


class ResultsFeed(Feed):
    feed_type = Atom1Feed
    title = "Results across the Porsche one-make pyramid"
    subtitle = "Every race classification marked final, newest first."
    author_name = settings.SITE_NAME

    def link(self) -> str:
        return reverse("series:home")

    def items(self, obj=None):
        return final_sessions_with_results()[:FEED_LENGTH]

    def item_title(self, session: Session) -> str:
        """ "Supercup 2023 — Race 8, Monza: won by Harry King": the winner first, and only the
        winner (a partial classification's first known row is not the winner)."""
        if session.round is not None:
            season = session.round.season
            # "Monza 2023" would repeat the season's year already in the title.
            event_name = session.event.name.removesuffix(f" {season.year}")
            title = f"{season.series.display_name} {season.year} — {session.name}, {event_name}"
        else:
            title = f"{session.event.name} — {session.name}"
        return f"{title}: {headline(session)}"

    def item_description(self, session: Session) -> str:
        podium = session.classified[:3]
        summary = " · ".join(_placing(result) + _team(result) for result in podium)
        summary = summary or "No classified finishers."
        if session.round is not None and session.round.season.results_partial:
            # Only some drivers' rows are entered: say so rather than pass for a full podium.
            summary += " (partial results: only some drivers' rows are entered)"
        return summary

    def item_link(self, session: Session) -> str:
        return reverse("series:session-detail", args=[session.event.slug, session.slug])

    def item_updateddate(self, session: Session) -> dt.datetime:
        # No "marked final at" is recorded; the end of the session is the closest honest date.
        ends_at = session_ends_at(session)
        if ends_at is not None:
            return ends_at
        return dt.datetime.combine(session.date, dt.time(23, 59), tzinfo=dt.UTC)

    item_pubdate = item_updateddate

    def item_categories(self, session: Session) -> list[str]:
        if session.round is not None:
            return [session.round.season.series.display_name]
        return []


class SeriesResultsFeed(ResultsFeed):
    def get_object(self, request: HttpRequest, series: str) -> Series:
        return get_object_or_404(Series.objects.all(), slug=series)

    # Feed reads title, subtitle, link and items as attributes or as methods of the feed's
    # object (here the series); the stubs know only the base class's form.
    def title(self, series: Series) -> str:  # type: ignore[override]
        return f"{series.name} results"

    def subtitle(self, series: Series) -> str:  # type: ignore[override]
        return f"Every {series.display_name} race classification marked final, newest first."

    def link(self, series: Series) -> str:  # type: ignore[override]
        return series.get_absolute_url()

    def items(self, series: Series) -> QuerySet[Session]:  # type: ignore[override]
        return final_sessions_with_results().filter(round__season__series=series)[:FEED_LENGTH]
