"""How a wait's `match` meets an event's data, in SQL with an index, from either side.

A match is a mapping of fields to values; an event fits when its data has every field with
an equal value (compared as JSON: 1 and "1" differ). Both sides are indexed:

- The sender (an event arrives, which open waits does it settle?) projects the event onto
  each *shape* (set of fields) that waits on its name use, and looks each projection up by
  its canonical key: one indexed lookup per shape, however many waits are open.
- The waiter (a wait registers, which event already arrived?) asks for events of its name
  after its run began whose data contains the match: JSON containment with a GIN index on
  PostgreSQL, json_extract per field on SQLite (the embedded single-process mode).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import and_, func, literal, or_, true
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import col

from bookbug.engine.tables import Event


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def shape_of(match: Mapping[str, Any] | None) -> str:
    return canonical(sorted(match or {}))


def match_key(match: Mapping[str, Any] | None) -> str:
    return canonical(dict(match or {}))


def key_for_shape(data: Mapping[str, Any] | None, shape: str) -> str | None:
    """The match key a wait of this shape needs to be settled by `data`; None if `data` lacks a field."""
    fields = json.loads(shape)
    data = data or {}
    if any(field not in data for field in fields):
        return None
    return match_key({field: data[field] for field in fields})


def fits(data: Mapping[str, Any] | None, match: Mapping[str, Any] | None) -> bool:
    data = data or {}
    return all(field in data and canonical(data[field]) == canonical(value) for field, value in (match or {}).items())


def contains(dialect: str, match: Mapping[str, Any] | None) -> ColumnElement[bool]:
    """SQL: the event's data has every field of `match` (candidates; `fits` has the last word)."""
    if not match:
        return true()
    if dialect == "postgresql":
        return col(Event.data).op("@>")(func.cast(literal(canonical(dict(match))), Event.data.type))  # type: ignore[union-attr]  # the column's SQL type: SQLModel types the attribute as its Python value
    return and_(*(_sqlite_field_equals(field, value) for field, value in match.items()))


def _sqlite_field_equals(field: str, value: Any) -> ColumnElement[bool]:
    path = "$." + json.dumps(field)  # a quoted member name: any characters are safe
    extracted = func.json_extract(Event.data, path)
    kind = func.json_type(Event.data, path)
    if value is None:
        return kind == "null"
    if isinstance(value, bool):
        return kind == ("true" if value else "false")
    if isinstance(value, (int, float)):
        return and_(or_(kind == "integer", kind == "real"), extracted == value)
    if isinstance(value, str):
        return and_(kind == "text", extracted == value)
    return kind.in_(("object", "array"))  # `fits` compares the nested value itself
