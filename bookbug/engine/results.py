"""A step's result as the type its function declares, even when it was stored in another shape.

The codec stores a pydantic model with its import path, so a replay rebuilds it as it was. A
result checkpointed before its step returned a model (a plain dict, from code deployed before)
is still what the run holds for that step: where the function's return annotation names a
pydantic model, the stored value is validated into it, so a run in flight across such a deploy
replays the old result as the new type. Results of functions whose annotation names no model,
or that cannot be read, are returned as decoded. A stored value that no longer fits the
declared type means the step changed under the run: WorkflowChanged, as for any other change.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from bookbug.engine.errors import WorkflowChanged

_NOTHING = object()
_hints: dict[object, Any] = {}  # by code object: closures made anew on every call share their entry
_adapters: dict[Any, TypeAdapter[Any] | None] = {}


def as_declared(fn: Callable[..., Any], value: Any, key: str) -> Any:
    adapter = _adapter(_declared(fn))
    if adapter is None:
        return value
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        raise WorkflowChanged(f"the workflow changed while this run was in flight: the result stored for step {key!r} "
                              f"is not what {getattr(fn, '__qualname__', fn)!r} returns now ({exc.error_count()} "
                              "problems); start a new run") from None


def _declared(fn: Callable[..., Any]) -> Any:
    code = getattr(fn, "__code__", None)
    cached = _hints.get(code, _NOTHING) if code is not None else _NOTHING
    if cached is not _NOTHING:
        return cached
    try:
        hint = typing.get_type_hints(fn).get("return", _NOTHING)
    except Exception:  # a name only imported for type checking, say: nothing to go by
        hint = _NOTHING
    if code is not None:
        _hints[code] = hint
    return hint


def _adapter(hint: Any) -> TypeAdapter[Any] | None:
    if hint is _NOTHING:
        return None
    try:
        cached = _adapters.get(hint, _NOTHING)
    except TypeError:  # an unhashable annotation
        return None
    if cached is not _NOTHING:
        return typing.cast("TypeAdapter[Any] | None", cached)
    adapter = TypeAdapter(hint) if _names_a_model(hint) else None
    _adapters[hint] = adapter
    return adapter


def _names_a_model(hint: Any) -> bool:
    if isinstance(hint, type) and not isinstance(hint, types.GenericAlias):
        return issubclass(hint, BaseModel)
    return any(_names_a_model(arg) for arg in typing.get_args(hint))
