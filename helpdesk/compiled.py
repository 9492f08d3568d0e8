"""Hot queries of a fixed shape, compiled to SQL once per process and run with new values.

Django compiles a queryset to SQL every time it runs: for a one-table SELECT by ticket that is
~0.3 ms of Python, several times what PostgreSQL takes to answer it, and the desk's ticket page
runs five of them. `fetch()` compiles a queryset once (built by `build` with marker integers in
place of its arguments), remembers where those markers landed among the SQL parameters, and
later runs the same SQL with the real values, turning rows into model instances the way the ORM
does (the same columns, the backend's and the fields' converters, `Model.from_db`).

Only plain querysets of one model qualify (no select_related, annotations, prefetches or
values()); anything else raises ValueError when first compiled, so a misuse shows in any test.
The arguments must be integers (primary keys); the key names the shape, and must change with
anything else baked into the SQL (e.g. a user's queue ids).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Model, QuerySet

_MARKER_BASE = -7_340_000_000_000  # far from any primary key or filter value we use
MAX_SHAPES = 500  # shapes keyed by user-specific values are dropped wholesale past this


@dataclass(frozen=True)
class _Compiled:
    sql: str | None  # None: the queryset is empty whatever the values (e.g. .none())
    params: tuple
    slots: tuple[int | None, ...]  # for each parameter: the argument it takes, or None (fixed)
    model: type[Model]
    attnames: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Callable, ...], Any], ...]


_shapes: dict[tuple[str, Hashable], _Compiled] = {}


def fetch(key: Hashable, build: Callable[..., QuerySet], *args: int, using: str = "default"):
    """`build(*args)` as a list of model instances, with its SQL compiled only the first time
    this key is used (per database)."""
    shape = _shapes.get((using, key))
    if shape is None:
        shape = _compile(build, len(args), using)
        if len(_shapes) >= MAX_SHAPES:
            _shapes.clear()
        _shapes[(using, key)] = shape
    if shape.sql is None:
        return []
    values = [
        p if slot is None else args[slot] for p, slot in zip(shape.params, shape.slots, strict=True)
    ]
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(shape.sql, values)
        rows = cursor.fetchall()
    if shape.converters:
        rows = [_convert(row, shape.converters, connection) for row in rows]
    return [shape.model.from_db(using, shape.attnames, row) for row in rows]


def _convert(row, converters, connection) -> tuple:
    row = list(row)
    for index, functions, expression in converters:
        value = row[index]
        for function in functions:
            value = function(value, expression, connection)
        row[index] = value
    return tuple(row)


def _compile(build: Callable[..., QuerySet], arity: int, using: str) -> _Compiled:
    markers = [_MARKER_BASE - i for i in range(arity)]
    queryset = build(*markers)
    query = queryset.query
    if (
        query.select_related
        or query.annotations
        or queryset._prefetch_related_lookups
        or queryset._fields is not None
    ):
        raise ValueError("fetch() takes a plain queryset of one model")
    if query.is_empty():
        return _Compiled(None, (), (), queryset.model, (), ())
    compiler = query.get_compiler(using)
    sql, params = compiler.as_sql()
    klass_info = compiler.klass_info
    if klass_info is None or klass_info.get("related_klass_infos"):
        raise ValueError("fetch() takes a plain queryset of one model")
    slots = tuple(markers.index(p) if p in markers else None for p in params)
    missing = set(range(arity)) - set(slots)
    if missing:
        raise ValueError(f"argument(s) {sorted(missing)} do not appear in the query")
    if list(klass_info["select_fields"]) != list(range(len(compiler.select))):
        raise ValueError("fetch() takes a plain queryset of one model (no extra columns)")
    columns = [column for column, _, _ in compiler.select]
    converters = compiler.get_converters(columns)
    return _Compiled(
        sql=sql,
        params=tuple(params),
        slots=slots,
        model=klass_info["model"],
        attnames=tuple(column.target.attname for column in columns),
        converters=tuple((i, tuple(fns), expr) for i, (fns, expr) in sorted(converters.items())),
    )
