"""Drivers and teams by name for one import: found by name, slug or (teams) alias; planned, not
written, when they are new; and a new name close to an existing one ("Scot Nobel" beside "Scott
Noble") needs the editor's explicit choice even when missing names may be created.

Name suggestions cost a difflib scan of every known name, so they are computed for a bounded
number of names per import: a hostile file with 50,000 unknown names is still answered in
seconds, every bad row still reported."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, overload

from ..models import Driver, Team, TeamAlias
from ..models.people import fold_letters, search_text

# A NameBook holds drivers or teams: both have a name and a slug.
M = TypeVar("M", Driver, Team)

# Names whose "did you mean" (and near-match check) is computed per import; later unknown names
# are still reported, without a suggestion. A budget in comparisons keeps a big database fast too.
SUGGESTION_NAMES = 40
COMPARISON_BUDGET = 400_000
# How close a new name must be to an existing one to need a choice (difflib ratio, lower case):
# "Scot Nobel"/"Scott Noble" is 0.86, "MDK Motorsport"/"MDK Motorsports" 0.97.
NEAR_RATIO = 0.85

CREATE = "create"


def fold(name: str) -> str:
    """Case, accents (the search's rule, fold_letters), dots, hyphens, apostrophes and spacing
    don't tell two names apart."""
    return re.sub(r"[\s.\-_']+", " ", fold_letters(name)).strip()


@dataclass(eq=False)
class NewName(Generic[M]):
    """A driver or team the import would create; written only when the import is."""

    name: str
    kind: str  # "driver" or "team"
    extra: dict[str, Any] = field(default_factory=dict)
    obj: M | None = None  # set once created

    @property
    def pk(self) -> int | None:
        return self.obj.pk if self.obj is not None else None

    def __str__(self) -> str:
        return self.name


@dataclass
class NearMatch:
    """A new name close to existing ones: the editor chooses one of them or to create it."""

    kind: str
    name: str
    candidates: list[tuple[str, str]]  # (slug, name)

    @property
    def field_name(self) -> str:
        return f"{self.kind}:{self.name}"


class NameBook(Generic[M]):
    """Drivers or teams of the whole database, loaded once (one or two queries)."""

    def __init__(
        self,
        model: type[M],
        *,
        create_missing: bool = False,
        choices: dict[str, str] | None = None,
    ):
        self.model: type[M] = model
        self.kind: str = model._meta.model_name or model.__name__.lower()
        self.create_missing = create_missing
        # "driver:<name>" -> "create" or the slug of the existing one to use
        prefix = f"{self.kind}:"
        self.choices = {
            fold(key[len(prefix) :]): value
            for key, value in (choices or {}).items()
            if key.startswith(prefix)
        }
        self.by_key: dict[str, M] = {}
        self.by_slug: dict[str, M] = {}
        known = list(model.objects.order_by("pk"))
        for obj in known:
            self.by_key.setdefault(fold(obj.name), obj)
            self.by_slug.setdefault(obj.slug, obj)
        # A driver is found by the name in its own script too (笹原右京 is Ukyo Sasahara), after
        # every Latin name, which wins where the two would collide.
        for obj in known:
            if isinstance(obj, Driver) and obj.name_original:
                self.by_key.setdefault(fold(obj.name_original), obj)
        if issubclass(model, Team):
            for alias in TeamAlias.objects.select_related("team"):
                self.by_key.setdefault(fold(alias.name), alias.team)
        self.planned: dict[str, NewName[M]] = {}
        self.near_matches: dict[str, NearMatch] = {}
        self._checked = 0
        self._check_limit = max(SUGGESTION_NAMES, COMPARISON_BUDGET // max(1, len(self.by_key)))
        self._names = {key: obj.name for key, obj in self.by_key.items()}

    def find(self, value: str) -> M | None:
        value = value.strip()
        return self.by_key.get(fold(value)) or self.by_slug.get(value)

    def _close(self, value: str, cutoff: float) -> list[M] | None:
        """Existing names close to value, or None once the import's budget is spent."""
        if self._checked >= self._check_limit:
            return None
        self._checked += 1
        keys = difflib.get_close_matches(fold(value), list(self._names), n=3, cutoff=cutoff)
        return list(dict.fromkeys(self.by_key[key] for key in keys))

    def suggestion(self, value: str) -> str:
        close = self._close(value, 0.6)
        if not close:
            return ""
        return " — did you mean " + " or ".join(obj.name for obj in close) + "?"

    def resolve(self, value: str, errors: list[str], **extra: str) -> M | NewName[M] | None:
        """The existing object, a planned new one, or None with the reason in errors."""
        found = self.find(value)
        if found is not None:
            return found
        key = fold(value)
        if key in self.planned:
            return self.planned[key]
        choice = self.choices.get(key)
        if choice and choice != CREATE:
            chosen = self.by_slug.get(choice)
            if chosen is None:
                errors.append(f"{self.kind} {value!r}: the chosen {self.kind} {choice!r} is gone")
            return chosen
        if not (self.create_missing or choice == CREATE):
            errors.append(
                f"unknown {self.kind} {value!r}{self.suggestion(value)} "
                f"(or import with create-missing to add a new {self.kind})"
            )
            return None
        if choice != CREATE:
            close = self._close(value, NEAR_RATIO)
            if close is None:
                errors.append(
                    f"new {self.kind} {value!r}: too many new names in one import to check each "
                    f"against the known ones ({self._check_limit} at most); import in parts"
                )
                return None
            if close:
                near = NearMatch(self.kind, value.strip(), [(o.slug, o.name) for o in close])
                self.near_matches.setdefault(key, near)
                names = " or ".join(repr(o.name) for o in close)
                errors.append(
                    f"new {self.kind} {value!r} is close to the existing {names}: choose to use "
                    f"the existing one or to create {value.strip()!r} (command line: --use "
                    f'"{value.strip()}={close[0].slug}" or --create "{value.strip()}")'
                )
                return None
        planned: NewName[M] = NewName(value.strip(), self.kind, dict(extra))
        self.planned[key] = planned
        return planned

    def create_planned(self) -> list[M]:
        """Writes every planned new name (inside the import's transaction)."""
        from .writing import unique_slug

        slugs = set(self.by_slug)
        created: list[M] = []
        for planned in self.planned.values():
            obj = self.model(
                name=planned.name,
                slug=unique_slug(self.model, planned.name, slugs),
                **planned.extra,
            )
            # As the models' save() does; bulk_create skips save() (and the signals: the import
            # raises the site version once, at its end). Without search_name a created name
            # would not be found by the search.
            if isinstance(obj, Driver):
                if not obj.sort_name:
                    parts = obj.name.rsplit(" ", 1)
                    obj.sort_name = f"{parts[-1]}, {parts[0]}" if len(parts) == 2 else obj.name
                obj.search_name = search_text(obj.name, obj.name_original, obj.sort_name)
            else:
                obj.search_name = obj.folded_names()
            planned.obj = obj
            created.append(obj)
        self.model.objects.bulk_create(created)
        return created


@overload
def real(obj: None) -> None: ...
@overload
def real(obj: M | NewName[M] | None) -> M | None: ...
def real(obj: M | NewName[M] | None) -> M | None:
    """The model object behind an existing or planned name; None for a planned one not written
    yet (create_planned writes them)."""
    return obj.obj if isinstance(obj, NewName) else obj


def written(obj: M | NewName[M]) -> M:
    """The model object behind an existing or planned name, once create_planned has written it."""
    if isinstance(obj, NewName):
        assert obj.obj is not None, f"{obj.kind} {obj.name!r} is not written yet"
        return obj.obj
    return obj
