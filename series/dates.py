"""Dates as precise as the record: one place that words a date for pages, API, feeds and iCal.

A date stored with `DatePrecision.WEEKEND` or `MONTH` holds a placeholder day; the words never show
that day as a fact ("weekend of 14–16 April 2023", "April 2004").
"""

import datetime as dt

from .models.venue import DatePrecision


def span_label(start: dt.date, end: dt.date) -> str:
    """28 September – 1 October 2023; 14–16 April 2023; 3 June 2023."""
    if start == end:
        return f"{start.day} {start:%B %Y}"
    if (start.year, start.month) == (end.year, end.month):
        first = str(start.day)
    elif start.year == end.year:
        first = f"{start.day} {start:%B}"
    else:
        first = f"{start.day} {start:%B %Y}"
    return f"{first}–{end.day} {end:%B %Y}"


def event_dates_label(start: dt.date, end: dt.date, precision: str) -> str:
    if precision == DatePrecision.MONTH:
        return f"{start:%B %Y}"
    return span_label(start, end)


def round_date_label(
    day: dt.date, precision: str, event_start: dt.date | None, event_end: dt.date | None
) -> str:
    """The race day where known; otherwise the weekend (or month) it fell in."""
    if precision == DatePrecision.MONTH:
        return f"{day:%B %Y}"
    if precision == DatePrecision.WEEKEND and event_start and event_end:
        return f"weekend of {span_label(event_start, event_end)}"
    return f"{day.day} {day:%B %Y}"
