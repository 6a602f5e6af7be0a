"""Querysets compiled once per process, run again with other arguments.

A cold page runs five to ten queries, and Django builds and compiles each one afresh: cloning the
query for every filter(), resolving every lookup and join, writing the SQL. That is 0.4-1 ms of
Python a query, most of a cold page's time once its templates are compiled (docs/benchmarks.md),
while the database answers in a tenth of it. The SQL of a page's query only changes with its
shape, never with the slug or the year asked for, so `Prepared` compiles it once:

    season_rounds = Prepared(lambda series, year: Round.objects.filter(
        season__series__slug=series, season__year=year).values("number", "event__name"))
    rows = list(season_rounds("supercup", 2022))

The first call builds the queryset with stand-in arguments, compiles it and remembers the SQL
and where each stand-in went among its parameters; every call then fills the real arguments in
and runs it through Django's own iterables, so rows, model instances, select_related() and
prefetch_related() come back exactly as the queryset gives them (a test compares both).

Rules, checked where they can be:
- `build` takes only the arguments and gives the same shape of query for any of them (no
  `if` on an argument: make two Prepared instead), with nothing else that varies (no now()).
- Arguments are whole numbers and strings compared whole (exact lookups, `in` of a fixed
  length); an argument the ORM rewrites (`icontains`, a date) is refused when first prepared.
- A call with another kind of argument (None, a list, a date) builds the queryset as usual.
- The result is a queryset to iterate (or list()). Its query holds the stand-ins, so chaining it
  (`.filter()`, `.first()`, `.count()`, `[0]`) raises instead of asking about them.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

Q = TypeVar("Q", bound=QuerySet)

# Stand-ins: a whole number and a string no page ever asks for.
_INT_STAND_IN = 1_987_650_000
_STR_STAND_IN = "\x1fpcc-prepared-{}\x1f"


class NotPreparable(ValueError):
    """The queryset's parameters do not hold its arguments as they were given."""


class _Shape:
    """One compiled query: its compiler (set up: columns, joins, converters), SQL, parameters, and
    for each argument the positions of its parameters."""

    def __init__(self, queryset: QuerySet, stand_ins: tuple[Any, ...]) -> None:
        self.queryset = queryset
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = tuple(params)
        self.compiler = compiler
        self.positions: list[tuple[int, int]] = []
        for index, stand_in in enumerate(stand_ins):
            found = [n for n, param in enumerate(self.params) if param == stand_in]
            if not found:
                raise NotPreparable(f"argument {index} is not a parameter of the query as given")
            self.positions += [(n, index) for n in found]
        taken = {n for n, _ in self.positions}
        for n, param in enumerate(self.params):
            if n not in taken and _holds_stand_in(param, stand_ins):
                raise NotPreparable(f"parameter {n} holds an argument rewritten: {param!r}")

    def bind(self, args: tuple[Any, ...]) -> QuerySet:
        params = list(self.params)
        for n, index in self.positions:
            params[n] = args[index]
        compiler = copy.copy(self.compiler)
        # Connections are per thread; the shape may have been compiled on another one.
        compiler.connection = connections[self.queryset.db]
        sql = self.sql
        compiler.as_sql = lambda *_, **__: (sql, tuple(params))
        queryset = self.queryset._chain()  # type: ignore[attr-defined]
        # Not through the `query` setter, which would reset the iterable (values_list's tuples).
        queryset._query = _Bound(queryset.query, compiler)
        return queryset


def _holds_stand_in(param: Any, stand_ins: tuple[Any, ...]) -> bool:
    text = str(param)
    return any(str(stand_in) in text for stand_in in stand_ins)


# What a query does to be chained, counted or checked: on the prepared query, it would ask
# about the stand-ins.
_COPIES = frozenset({"chain", "clone", "get_count", "get_aggregation", "has_results", "explain"})


class _Bound:
    """The queryset's query, answering get_compiler() with the prepared compiler. Reading it is
    the query's own; copying it (any chained call) raises (see _COPIES)."""

    def __init__(self, query: Any, compiler: Any) -> None:
        self._query = query
        self._compiler = compiler

    def get_compiler(self, using: Any = None, connection: Any = None, elide_empty: bool = True):
        return self._compiler

    def __getattr__(self, name: str) -> Any:
        if name in _COPIES:
            raise TypeError("A prepared queryset is run as it is: list() it, then work on the rows")
        return getattr(self._query, name)


class Prepared(Generic[Q]):
    """`build(*args)`'s queryset, compiled once per process and database (see the module)."""

    def __init__(self, build: Callable[..., Q]) -> None:
        self.build = build
        self._shapes: dict[tuple[Any, ...], _Shape] = {}
        self._lock = threading.Lock()

    def __call__(self, *args: Any) -> Q:
        kinds = tuple(type(arg) for arg in args)
        if not all(kind is int or kind is str for kind in kinds):
            return self.build(*args)
        key = (kinds, _database_key())
        shape = self._shapes.get(key)
        if shape is None:
            with self._lock:
                shape = self._shapes.get(key) or self._prepare(kinds, key)
        if shape is None:  # EmptyResultSet: nothing to compile, the queryset says so itself
            return self.build(*args)
        return shape.bind(args)  # type: ignore[return-value]

    def _prepare(self, kinds: tuple[type, ...], key: tuple[Any, ...]) -> _Shape | None:
        stand_ins = tuple(
            _INT_STAND_IN + n if kind is int else _STR_STAND_IN.format(n)
            for n, kind in enumerate(kinds)
        )
        try:
            shape = _Shape(self.build(*stand_ins), stand_ins)
        except EmptyResultSet:
            return None
        self._shapes[key] = shape
        return shape


def _database_key() -> tuple[Any, ...]:
    """What the SQL depends on besides the query: the database (tests switch between them)."""
    connection = connections["default"]
    return (connection.vendor, connection.settings_dict["NAME"])
