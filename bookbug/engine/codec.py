"""Step results as JSON: what is checkpointed is exactly what every later replay returns.

Pydantic models round-trip: they are stored with their import path and rebuilt on replay.
Anything else must already be JSON-shaped (dicts with text keys, lists, text, numbers, bools,
None); tuples come back as lists, so the first execution returns the decoded form too.
"""

from __future__ import annotations

import importlib
from typing import Any

from pydantic import BaseModel

_MODEL = "__pydantic_model__"


class NotStorable(TypeError):
    pass


def encode(value: Any, *, where: str = "value") -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, BaseModel):
        cls = type(value)
        return {_MODEL: f"{cls.__module__}:{cls.__qualname__}", "data": value.model_dump(mode="json")}
    if isinstance(value, (list, tuple)):
        return [encode(item, where=f"{where}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise NotStorable(f"{where} has the key {key!r}; JSON keys must be text")
            out[key] = encode(item, where=f"{where}[{key!r}]")
        return out
    raise NotStorable(
        f"{where} is a {type(value).__name__}, which cannot be stored as JSON: return a pydantic "
        "model, dict, list, text or number"
    )


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(item) for item in value]
    if isinstance(value, dict):
        path = value.get(_MODEL)
        if isinstance(path, str) and set(value) == {_MODEL, "data"}:
            return _model_class(path).model_validate(value["data"])
        return {key: decode(item) for key, item in value.items()}
    return value


def _model_class(path: str) -> type[BaseModel]:
    module_name, _, qualname = path.partition(":")
    obj: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    if not (isinstance(obj, type) and issubclass(obj, BaseModel)):
        raise TypeError(f"{path} is not a pydantic model")
    return obj
