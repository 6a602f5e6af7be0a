"""Filters for the directory pages: lap and race times as the timing sheets print them."""

import datetime as dt

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


def _split(value: dt.timedelta) -> tuple[int, int, float]:
    total = value.total_seconds()
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return int(hours), int(minutes), seconds


@register.filter
def laptime(value: dt.timedelta | None) -> str:
    """1:31.234 (a lap under an hour), as timing sheets print it."""
    if not isinstance(value, dt.timedelta):
        return ""
    hours, minutes, seconds = _split(value)
    minutes += hours * 60
    return f"{minutes}:{seconds:06.3f}" if minutes else f"{seconds:.3f}"


@register.filter
def racetime(value: dt.timedelta | None) -> str:
    """38:12.345 or 1:02:03.456: a race's winning time."""
    if not isinstance(value, dt.timedelta):
        return ""
    hours, minutes, seconds = _split(value)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:06.3f}"
    return f"{minutes}:{seconds:06.3f}"


@register.filter
def ordinal_position(value: int | None) -> str:
    """P3, or an en dash for no position."""
    return f"P{value}" if value else "–"


@register.filter
def session_state(session):
    """The session's state (series.selectors.sessions.session_state: one place for it)."""
    from ..selectors.sessions import session_state as state

    return state(session)


@register.filter
def session_day(session):
    """The session's day as precisely as it is known (selectors.sessions.session_day)."""
    from ..selectors.sessions import session_day as day

    return day(session)


@register.simple_tag
def event_dates(event) -> str:
    """An event's dates in the words of series/dates.py, in a <time>: "28 September–1 October
    2023", or "April 2004" when only the month is known (never a guessed day). Written without
    format_html: the listings print hundreds (the machine date is digits and dashes)."""
    from ..models import DatePrecision

    start = event.start_date
    if event.date_precision == DatePrecision.MONTH:
        opening = f'<time datetime="{start:%Y-%m}" title="Only the month is known">'
    else:
        opening = f'<time datetime="{start.isoformat()}">'
    return mark_safe(f"{opening}{conditional_escape(event.dates_label)}</time>")
