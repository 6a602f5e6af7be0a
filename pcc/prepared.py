"""Querysets compiled once per process, run again with other arguments.

A cold page runs five to ten queries, and Django builds and compiles each one afresh: cloning the
query for every filter(), resolving every lookup and join, writing the SQL. That is 0.4-1 ms of
Python a query, most of a cold page's time once its templates are compiled (docs/benchmarks.md),
while the database answers in a tenth of it. The SQL of a page's query only changes with its
shape, never with the slug or the year asked for, so `Prepared` compiles it once:

    season_rounds = Prepared(lambda series, year: Round.objects.filter(
        season__series__slug=series, season__year=year).values("number", "event__name"))
    rows = list(season_rounds("supercup", 2022))

The first call builds and compiles the queryset twice, with two sets of stand-in arguments, and
remembers the SQL and which parameters followed the stand-ins; every call then fills the real
arguments in and runs it through Django's own iterables, so rows, model instances,
select_related() and prefetch_related() come back exactly as the queryset gives them (a test
compares both).

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

# Stand-ins, two sets: the query is compiled with each, and the parameters that follow them are
# the arguments' (a constant of the query equal to a stand-in stays put in the other compilation).
# Whole numbers inside the range of the smallest integer column (PostgreSQL's smallint): a value
# outside a column's range makes Django answer "no rows" without compiling.
_INT_STAND_INS = (30_011, 31_013)
_STR_STAND_INS = ("\x1fpcc-prepared-a{}\x1f", "\x1fpcc-prepared-b{}\x1f")


# What a database's integer columns can hold at most (64 bits).
_SQL_INTS = (-(2**63), 2**63 - 1)


class NotPreparable(ValueError):
    """The queryset's parameters do not hold its arguments as they were given."""


def _stand_ins(kinds: tuple[type, ...], which: int) -> tuple[Any, ...]:
    return tuple(
        _INT_STAND_INS[which] + n if kind is int else _STR_STAND_INS[which].format(n)
        for n, kind in enumerate(kinds)
    )


class _Shape:
    """One compiled query: its compiler (set up: columns, joins, converters), SQL, parameters, and
    for each argument the positions of its parameters."""

    def __init__(self, build: Callable[..., QuerySet], kinds: tuple[type, ...]) -> None:
        first, second = _stand_ins(kinds, 0), _stand_ins(kinds, 1)
        queryset = build(*first)
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        other = build(*second)
        other_sql, other_params = other.query.get_compiler(using=other.db).as_sql()
        if other_sql != self.sql or len(other_params) != len(params):
            raise NotPreparable("the query's shape depends on its arguments")
        self.queryset = queryset
        # The columns' converters (dates, decimals, booleans on SQLite) are the shape's too: found
        # once, not on every run (results_iter() asks for them each time).
        columns = [column[0] for column in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(columns)
        compiler.get_converters = lambda expressions: converters
        self.compiler = compiler
        self.params = tuple(params)
        self.positions: list[tuple[int, int]] = []
        for n, (one, two) in enumerate(zip(params, other_params, strict=True)):
            if one == two:
                continue  # a constant of the query
            index = first.index(one) if one in first else -1
            if index < 0 or second[index] != two:
                raise NotPreparable(f"parameter {n} holds an argument rewritten: {one!r}")
            self.positions.append((n, index))
        unused = set(range(len(kinds))) - {index for _, index in self.positions}
        if unused:
            raise NotPreparable(f"arguments {sorted(unused)} are not parameters of the query")

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
        if not all(
            kind is str or (kind is int and _SQL_INTS[0] <= arg <= _SQL_INTS[1])
            for kind, arg in zip(kinds, args, strict=True)
        ):
            # Another kind of value, or a number no column holds (Django answers those itself).
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
        try:
            shape = _Shape(self.build, kinds)
        except EmptyResultSet:
            return None
        self._shapes[key] = shape
        return shape


def _database_key() -> tuple[Any, ...]:
    """What the SQL depends on besides the query: the database (tests switch between them)."""
    connection = connections["default"]
    return (connection.vendor, connection.settings_dict["NAME"])
