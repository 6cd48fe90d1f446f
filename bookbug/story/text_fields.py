"""Text a model writes, tidied of stray whitespace before its length is checked.

`Text` strips whitespace around the value; `Line` also turns every run of whitespace inside it
into one space (names, titles, chips, beat sentences). Lengths are checked on the tidied
text, and the JSON schema says the same with a pattern: at least `minLength` characters from
the first to the last non-blank one. So any string that fits the schema still fits once tidied,
and a blank string never passes for a filled one.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema


def non_blank_pattern(min_length: int) -> str:
    """A pattern a string matches when it is at least `min_length` long with the ends stripped."""
    if min_length <= 1:
        return r"\S"
    return r"\S[\s\S]{%d,}\S" % (min_length - 2)  # noqa: UP031 - % keeps the regex braces readable


class _Tidy:
    def __init__(self, *, squash: bool) -> None:
        self.squash = squash

    def tidy(self, value: Any) -> Any:
        if not isinstance(value, str):
            return value  # the str validator explains what is wrong
        return " ".join(value.split()) if self.squash else value.strip()

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.tidy, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        json_schema = handler(schema)
        least = json_schema.get("minLength", 0)
        # Squashing shortens "a   b" to "a b": the stripped length bounds the squashed one only up to 3.
        if self.squash and least > 3:
            raise TypeError("a Line's minLength cannot be stated as a pattern above 3; use Text")
        if least and "pattern" not in json_schema:
            json_schema["pattern"] = non_blank_pattern(least)
        return json_schema


Text = Annotated[str, _Tidy(squash=False)]
Line = Annotated[str, _Tidy(squash=True)]
