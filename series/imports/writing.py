"""The write primitives every import shares: one transaction (rolled back for a dry run), an upsert
that saves only what differs (a repeated import changes nothing), unique slugs, and the report line
of a created or updated row."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from .report import ImportFailed, ImportReport, RowError

_T = TypeVar("_T")
_M = TypeVar("_M", bound=models.Model)


class _RollBack(Exception):
    """Raised inside the transaction of a dry run so that everything done is undone."""


def run_atomically(work: Callable[[], _T], dry_run: bool) -> _T | None:
    """Runs work() in one transaction; a dry run rolls it back and still returns the result."""
    outcome: _T | None = None
    try:
        with transaction.atomic():
            outcome = work()
            if dry_run:
                raise _RollBack
    except _RollBack:
        pass
    except IntegrityError as exc:
        # Validation should have caught every clash; if the database still refuses, say so as an
        # import error rather than a crash (nothing was written: the transaction rolled back).
        raise ImportFailed([RowError(0, f"the database refused the import: {exc}")]) from exc
    return outcome


def upsert(
    model: type[_M],
    lookup: dict[str, Any],
    values: dict[str, Any],
    existing: _M | None = None,
    *,
    search: bool = True,
    validate: bool = False,
) -> tuple[_M, str, list[str]]:
    """Creates or updates one row; saves only when a value differs, so a repeated import changes
    nothing (and raises no site version). Returns (object, "created" | "updated" | "unchanged",
    names of the fields that changed). Without `existing`, the row is looked up unless the caller
    already knows it is new (search=False). validate runs the model's own checks first (raising
    ValidationError) and saves in a savepoint, so a refused row can be reported and the load
    carries on to fail as a whole."""
    obj = existing
    if obj is None and search:
        obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        _save(obj, validate)
        return obj, "created", list(values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        _save(obj, validate)
        return obj, "updated", changed
    return obj, "unchanged", []


def _save(obj: models.Model, validate: bool) -> None:
    if not validate:
        obj.save()
        return
    # Related rows were found by the caller, and the natural key is the lookup: only field values
    # and check constraints need the model's validation (a clash on another unique field still
    # comes back from the database, as an IntegrityError).
    meta = obj._meta
    relations = [f.name for f in meta.concrete_fields if f.is_relation]
    has_checks = any(isinstance(c, models.CheckConstraint) for c in meta.constraints)
    obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=has_checks)
    with transaction.atomic():
        obj.save()


def unique_slug(model: type[models.Model], text: str, taken: set[str] | None = None) -> str:
    """A slug from a name, made unique with -2, -3... Parenthesised scripts and editorial asides
    ("Ryo Ogawa (小河 諒)", "Hoshino (星野) — given name not stated") don't belong in an address."""
    base = slugify(re.sub(r"\s+—.*?(?=\)|$)", "", text)) or slugify(text) or "item"
    slug_field = model._meta.get_field("slug")
    assert isinstance(slug_field, models.SlugField) and slug_field.max_length is not None
    max_length = slug_field.max_length
    base = base[:max_length].strip("-")
    if taken is None:
        taken = set(
            model._default_manager.filter(slug__startswith=base).values_list("slug", flat=True)
        )
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)] + suffix
        n += 1
    taken.add(slug)
    return slug


def note_change(
    report: ImportReport, label: str, state: str, what: str, changed: list[str]
) -> None:
    if state == "created":
        report.count("created", label)
        report.changes.append(f"{what} created")
    elif state == "updated":
        report.count("updated", label)
        report.changes.append(f"{what} updated ({', '.join(changed)})")
