"""Cell values as editors and the shipped files write them: yes/no, lap times, whole numbers,
dates, choices, points totals, result statuses, and the "did you mean" hint for a name not
found. Pure functions: reading never touches the database."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from decimal import Decimal, InvalidOperation

from django.db import models

from ..models import (
    ResultStatus,
)

_TRUE = {"yes", "true", "1", "y"}
_FALSE = {"no", "false", "0", "n"}


def parse_bool(raw: str) -> bool | None:
    """yes/no, true/false, 1/0, y/n (any case); empty means "not given" (None)."""
    value = raw.strip().lower()
    if value == "":
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{raw!r} is not yes/no, true/false, 1/0 or y/n")


_DURATION = re.compile(r"^(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d+)?)$")


def parse_duration(raw: str) -> dt.timedelta | None:
    """38:12.345, 1:38.765, 1:02:03.4 or 58.9 (seconds) -> timedelta; empty -> None."""
    value = raw.strip()
    if value == "":
        return None
    match = _DURATION.match(value)
    if not match:
        raise ValueError(f"{raw!r} is not a time like 1:38.765 or 38:12.345")
    hours, minutes, seconds = match.groups()
    if minutes is not None and float(seconds) >= 60:
        raise ValueError(f"{raw!r} has 60 seconds or more")
    if hours is not None and int(minutes) >= 60:
        raise ValueError(f"{raw!r} has 60 minutes or more")
    return dt.timedelta(
        hours=int(hours or 0), minutes=int(minutes or 0), seconds=float(Decimal(seconds))
    )


def parse_whole(raw: str, *, minimum: int = 0, maximum: int = 32767) -> int | None:
    value = raw.strip()
    if value == "":
        return None
    if not value.isdigit():
        raise ValueError(f"{raw!r} is not a whole number")
    number = int(value)
    if not minimum <= number <= maximum:
        raise ValueError(f"{number} is outside {minimum}..{maximum}")
    return number


_STATUS_WORDS = {
    ResultStatus.FINISHED: {"fin", "finished", "classified", "cl", "running", "ok"},
    ResultStatus.RETIRED: {"ret", "dnf", "retired", "did not finish", "r"},
    ResultStatus.NOT_STARTED: {"dns", "did not start", "not started"},
    ResultStatus.DISQUALIFIED: {"dsq", "dq", "disqualified"},
    ResultStatus.NOT_CLASSIFIED: {"nc", "not classified", "unclassified"},
    ResultStatus.NOT_QUALIFIED: {"dnq", "did not qualify", "not qualified"},
    ResultStatus.EXCLUDED: {"ex", "exc", "excluded"},
}
_STATUS_BY_WORD = {word: status for status, words in _STATUS_WORDS.items() for word in words}


def parse_date(raw: str) -> dt.date:
    """2023-09-28 (ISO); anything else is a fault."""
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(f"{raw!r} is not a date like 2023-09-28") from None


def parse_choice(raw: str, choices: type[models.Choices]) -> str:
    """One of a choice field's stored values, spelled exactly."""
    if raw not in choices.values:
        raise ValueError(f"{raw!r} is not one of {', '.join(map(str, choices.values))}")
    return raw


def parse_points(raw: str) -> Decimal | None:
    """A published points total: not negative, at most one decimal (12.5); empty -> None."""
    value = raw.strip()
    if value == "":
        return None
    try:
        points = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a number") from None
    if not points.is_finite() or points < 0 or points != points.quantize(Decimal("0.5")):
        raise ValueError(f"{raw!r} is not a published total")
    return points


def parse_status(raw: str) -> ResultStatus | None:
    value = raw.strip().lower().replace(".", "")
    if value == "":
        return None
    try:
        return _STATUS_BY_WORD[value]
    except KeyError:
        raise ValueError(
            f"unknown status {raw!r} (use Ret, DNF, DNS, DSQ, DQ, NC, DNQ, EX or Finished)"
        ) from None


def did_you_mean(value: str, choices: dict[str, str]) -> str:
    """' — did you mean X?' from names and slugs (choices: candidate -> name to show)."""
    matches = difflib.get_close_matches(value.strip().lower(), list(choices), n=3, cutoff=0.6)
    names = list(dict.fromkeys(choices[match] for match in matches))
    if not names:
        return ""
    return " — did you mean " + " or ".join(names) + "?"
