"""The query parameters of the public pages, one Django form per page, so that a page, its htmx
fragment, its CSV download, its API endpoint and the page cache (pcc/cache.py) read them the same
way. (`series/forms.py` holds the admin's forms.)

A value is checked in two steps:

- its **shape**, by the form's field alone, with no data: a round number is 1 to 9999 digits-wise,
  a table is drivers or teams, a slug is a slug. The page cache checks this before the view runs:
  a value of the wrong shape makes no cache variant of its own (every such value of a parameter is
  one "invalid" variant), so the notice for it must not repeat the value, and does not;
- whether the page **offers** it: choices that depend on the data (a season's classes and rounds,
  the years with events) are handed to the form by the view, from what its selector has already
  loaded (no query of its own). The notice for such a value names it: it is keyed by its value.

A bad value never fails a page: the filter is ignored and named in a notice (`notices`), the page
answers 200 (htmx swaps it, the page cache keeps it) and its canonical address (`canonical_query`)
is the address without the ignored filter. The API answers a bad value with a 400 naming the
parameter (`problems`). NUL bytes, overlong and non-UTF-8 values are values of the wrong shape.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any, ClassVar
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError

from .models import Tier
from .selectors.search import clean_query

# Shapes, shared by the forms (and therefore by the page cache's keys).
SLUG = r"^[a-z0-9][a-z0-9-]{0,79}\Z"
# A class as the champions' record names it ("Pro-Am", "Rookie", "B-Class (Am)").
CLASS_NAME = r"^[\w][\w .'&()/+-]{0,59}\Z"
# A ClassificationRevision's primary key (?before=): digits, below the database's bigint.
REVISION_DIGITS = 12

NOT_OFFERED = "not_offered"


def _slug_field() -> forms.RegexField:
    return forms.RegexField(SLUG, required=False, max_length=80, empty_value=None)


def _number_field(low: int, high: int) -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=low, max_value=high)


def _tier_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        choices=[(str(tier.value), tier.label) for tier in Tier],
        coerce=int,
        required=False,
        empty_value=None,
    )


def _ignored(what: str, shape: str) -> tuple[str, str, str]:
    return (f"There is no {what} “{{value}}”", f"That is not {shape}", "the filter was ignored")


class SearchQueryField(forms.CharField):
    """Free text, cleaned as the search reads it (NUL bytes and runs of white space dropped, a very
    long query cut): a query is never wrong, it may only find nothing."""

    def to_python(self, value: Any) -> str | None:
        return clean_query(super().to_python(value) or "") or None


class QueryFilters(forms.Form):
    """A page's query parameters. `offered` (field name -> the values the page offers, from the
    view's selector) narrows a field to the data; `reasons` words what is said of a bad value."""

    # field name -> (why a value the page does not offer is ignored, naming it as "{value}"; why a
    # value of the wrong shape is, naming none; what the page shows instead).
    reasons: ClassVar[dict[str, tuple[str, str, str]]] = {}

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        offered: Mapping[str, Collection[Any] | None] | None = None,
    ) -> None:
        super().__init__(data=data if data is not None else {})
        self.offered = {
            name: values for name, values in (offered or {}).items() if values is not None
        }
        self._rejected: dict[str, str] = {}

    @classmethod
    def parameters(cls) -> tuple[str, ...]:
        """The parameters the page reads: its fields (the page cache keys on these only)."""
        return tuple(cls.base_fields)

    @classmethod
    def shape(cls, name: str, raw: str) -> str | None:
        """The value as the page will read it, as text, or None when its shape is wrong (checked
        by the field alone, with no data: the page cache's check)."""
        try:
            value = cls.base_fields[name].clean(raw)
        except ValidationError:
            return None
        return "" if value is None else str(value)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, values in self.offered.items():
            value = cleaned.get(name)
            if value is not None and value not in values:
                self.add_error(name, ValidationError(str(value), code=NOT_OFFERED))
        return cleaned

    # --- what the view reads -----------------------------------------------------------------

    def value(self, name: str) -> Any:
        """The parameter's value, None when absent or ignored."""
        if name in self._rejected or not self.is_valid() and name in self.errors:
            return None
        return self.cleaned_data.get(name)

    def reject(self, names: Iterable[str], reason: str) -> None:
        """Ignore parameters the view found it cannot show together (or that name nothing held,
        like a revision of another season), with the reason (no final stop) saying why."""
        for name in names:
            if self.value(name) is not None:
                self._rejected[name] = reason

    def _ignored(self) -> dict[str, tuple[str, str]]:
        """Parameter -> (why its value was ignored, what the page shows instead)."""
        self.is_valid()
        found: dict[str, tuple[str, str]] = {}
        for name in self.fields:
            named, unnamed, instead = self.reasons.get(
                name, (f"There is no {name} “{{value}}”", f"That is not a {name}", "")
            )
            instead = instead or "the filter was ignored"
            if name in self.errors:
                error = self.errors.as_data()[name][0]
                if error.code == NOT_OFFERED:
                    # A value of the right shape (bounded): safe to name, keyed by its value.
                    found[name] = (named.format(value=self.cleaned_value_text(name)), instead)
                else:
                    # The wrong shape: all such values are one cached variant, named by none.
                    found[name] = (unnamed, instead)
            elif name in self._rejected:
                found[name] = (self._rejected[name], instead)
        return found

    @property
    def problems(self) -> dict[str, str]:
        """Parameter -> why its value cannot be used (the API and the CSV answer these as a 400)."""
        return {name: reason + "." for name, (reason, _) in self._ignored().items()}

    @property
    def notices(self) -> list[str]:
        """One sentence per ignored filter, each said once (a page shows these and goes on)."""
        sentences = [f"{reason}; {instead}." for reason, instead in self._ignored().values()]
        return list(dict.fromkeys(sentences))

    def cleaned_value_text(self, name: str) -> str:
        raw = self.data.get(name, "")
        shown = self.shape(name, raw)
        return shown if shown is not None else ""

    def canonical_query(self, without: Collection[str] = ()) -> str:
        """The query string of the page shown: the filters used, in the form's order (but those
        named in `without`: a listing's page links replace its page number)."""
        pairs = []
        for name in self.fields:
            if name in without:
                continue
            value = self.value(name)
            if value is not None and value != "":
                pairs.append((name, str(value)))
        return urlencode(pairs)


# --- the pages' forms ---------------------------------------------------------------------------


def _fields(**fields: forms.Field):
    """Declare a form's fields by name, for parameters named like Python keywords (`class`)."""

    def declare(form: type[QueryFilters]) -> type[QueryFilters]:
        form.base_fields = form.declared_fields = dict(fields)
        return form

    return declare


@_fields(
    table=forms.ChoiceField(choices=[("drivers", "Drivers"), ("teams", "Teams")], required=False),
    **{"class": _slug_field()},
    after=_number_field(1, 9999),
    before=_number_field(1, 10**REVISION_DIGITS - 1),
)
class StandingsFilters(QueryFilters):
    """/series/<series>/<year>/standings/ and standings.csv: offered `class` (the season's class
    slugs) and `after` (its round numbers); `before` is checked by the view (a revision of this
    season)."""

    reasons = {
        "table": ("", "There is no such table", "showing the drivers’ standings"),
        "class": (
            "This season has no class “{value}”",
            "That is not a class",
            "showing every class",
        ),
        "after": (
            "There is no round “{value}” this season",
            "That is not a round number",
            "showing every round",
        ),
        "before": (
            "There is no change “{value}” to this season’s results",
            "That is not a change to this season’s results",
            "showing them now",
        ),
    }


def _page_field() -> forms.IntegerField:
    """?page=N of a paged listing (series/selectors/paging.py); a page past the last is found
    by the selector, and the view rejects it (the first page is shown)."""
    return _number_field(1, MAX_PAGE)


# A listing's page number: 1 to 9,999 (the drivers at 30 series x 40 seasons fill 36 pages).
MAX_PAGE = 9999
PAGE_REASONS = ("There is no page “{value}”", "That is not a page number", "showing the first page")


class EventFilters(QueryFilters):
    """/events/: offered `year` (the years with events); `page` of the listing."""

    year = _number_field(1900, 2999)
    page = _page_field()
    reasons = {"year": _ignored("year with events", "a year"), "page": PAGE_REASONS}


class CalendarFilters(QueryFilters):
    """/calendar/: offered `year` (years with races) and `series` (series slugs)."""

    year = _number_field(1900, 2999)
    month = _number_field(1, 12)
    tier = _tier_field()
    series = _slug_field()
    reasons = {
        "year": _ignored("year with races", "a year"),
        "month": _ignored("month", "a month (1 to 12)"),
        "tier": _ignored("tier", "a tier (1 to 3)"),
        "series": _ignored("series", "the address of a series"),
    }


@_fields(
    series=_slug_field(),
    tier=_tier_field(),
    **{"class": forms.RegexField(CLASS_NAME, required=False, max_length=60, empty_value=None)},
    decade=_number_field(1900, 2990),
    page=_page_field(),
)
class ChampionsFilters(QueryFilters):
    """/champions/: offered `series`, `class` (the classes titles are recorded under) and `decade`
    (decades with titles); `page` of the series listed (series/selectors/champions.py)."""

    reasons = {
        "series": _ignored("series", "the address of a series"),
        "tier": _ignored("tier", "a tier (1 to 3)"),
        "class": _ignored("class", "the name of a class"),
        "decade": _ignored("decade with titles", "a decade"),
        "page": PAGE_REASONS,
    }


class DriverFilters(QueryFilters):
    """/drivers/: offered `series` (series slugs); `page` of the listing."""

    series = _slug_field()
    page = _page_field()
    reasons = {"series": _ignored("series", "the address of a series"), "page": PAGE_REASONS}


class TeamFilters(QueryFilters):
    """/teams/: `page` of the listing."""

    page = _page_field()
    reasons = {"page": PAGE_REASONS}


class CircuitFilters(QueryFilters):
    """/circuits/<circuit>/: `page` of the events held there."""

    page = _page_field()
    reasons = {"page": PAGE_REASONS}


class SearchFilters(QueryFilters):
    """/search/: the query, cleaned as the search reads it (never an error)."""

    q = SearchQueryField(required=False, strip=True)
