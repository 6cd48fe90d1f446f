"""The JSON schema of a complete brief: what a finished intake and a plot review promise.

`Brief.is_complete` asks for every required field (`FIELD_NEEDS`) to be filled: a list with
an item, a string with more than whitespace, any other value present. `add_complete_brief`
says the same in JSON Schema, as a `CompleteBrief` definition made from the brief's own
definition, so a new required field is covered too.
"""

from __future__ import annotations

import copy
from typing import Any

from bookbug.story.brief import FIELD_NEEDS, Need
from bookbug.story.text_fields import non_blank_pattern

COMPLETE_BRIEF_REF = "#/$defs/CompleteBrief"


def _filled(field: dict[str, Any]) -> dict[str, Any]:
    field = copy.deepcopy(field)
    field.pop("default", None)
    options = [option for option in field.pop("anyOf", []) if option != {"type": "null"}]
    if len(options) == 1:
        field.update(options[0])
    elif options:
        field["anyOf"] = options
    if field.get("type") == "array":
        field["minItems"] = max(1, field.get("minItems", 0))
    if field.get("type") == "string":
        field.setdefault("pattern", non_blank_pattern(1))
    return field


def add_complete_brief(schema: dict[str, Any]) -> str:
    """Add `CompleteBrief` to the definitions of `schema` (which has `Brief`); returns its $ref."""
    brief = schema["$defs"]["Brief"]
    required = [name for name, need in FIELD_NEEDS.items() if need is Need.required]
    schema["$defs"]["CompleteBrief"] = {
        **brief,
        "title": "CompleteBrief",
        "description": "a brief with every required field filled: " + ", ".join(required),
        "properties": {name: _filled(field) if name in required else field
                       for name, field in brief["properties"].items()},
        "required": [*brief.get("required", []), *[name for name in required if name not in brief.get("required", [])]],
    }
    return COMPLETE_BRIEF_REF
