"""Template helpers shared by the public pages: navigation, points, times at the circuit."""

import datetime as dt
import zoneinfo
from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.html import format_html

register = template.Library()

# Which main-menu entry is "current" for each page (by URL name), so the reader sees where they are
# (pcc/jinja2.py nav_link).
NAV_SECTIONS = {
    "pyramid": {"pyramid", "series-detail", "season-detail", "season-standings", "season-results"},
    "calendar": {"calendar", "event-list", "event-detail", "session-detail"},
    "champions": {"champions"},
    "drivers": {"driver-list", "driver-detail", "team-list", "team-detail"},
    "watch": {"watch"},
}


@register.filter
def points(value) -> str:
    """12.50 -> "12.5", 149.00 -> "149": published tables print points without trailing zeros."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


@register.simple_tag
def circuit_time(moment: dt.datetime | None, time_zone: str = "UTC", day: dt.date | None = None):
    """A session's start: `<time datetime=UTC data-local>` showing the circuit's local time; the
    reader's own time is added beside it by static/js/site.js. With no start time published, the day
    alone (a bare date carries no zone, so nothing is converted)."""
    if moment is None:
        if day is None:
            return ""
        return format_html(
            '<time datetime="{}">{}</time> <span class="muted">(time not published)</span>',
            day.isoformat(),
            f"{day:%a} {day.day} {day:%b %Y}",
        )
    zone: dt.tzinfo
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    local = timezone.localtime(moment, zone)
    utc = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return format_html(
        '<time datetime="{}" data-local data-tz="{}">'
        '{} {} {}, {} <abbr title="{}">{}</abbr></time>',
        utc,
        time_zone,
        f"{local:%a}",
        local.day,
        f"{local:%b}",
        f"{local:%H:%M}",
        f"Time at the circuit ({time_zone})",
        local.tzname() or time_zone,
    )


@register.simple_tag
def date_range(start: dt.date, end: dt.date) -> str:
    """28 September – 1 October 2023, with each day in a machine-readable <time>."""
    if start == end:
        return format_html(
            '<time datetime="{}">{} {}</time>', start.isoformat(), start.day, f"{start:%B %Y}"
        )
    if (start.year, start.month) == (end.year, end.month):
        first = str(start.day)
    elif start.year == end.year:
        first = f"{start.day} {start:%B}"
    else:
        first = f"{start.day} {start:%B %Y}"
    return format_html(
        '<time datetime="{}">{}</time>–<time datetime="{}">{} {}</time>',
        start.isoformat(),
        first,
        end.isoformat(),
        end.day,
        f"{end:%B %Y}",
    )


@register.filter
def get_item(mapping, key):
    if mapping is None:
        return None
    return mapping.get(key)
