"""Quick-reply chips: their rules, the JSON schema that states them, and the harmless repairs.

Chips are suggestions and the free-text box is always there, so a reply's chips are tidied
rather than refused wherever nothing is lost: whitespace squashed, blank and catch-all chips
("Other", "None") dropped, repeats (ignoring case and spacing) dropped, and chips past the most
a question offers cut from the end. Only too few chips left is an error, and nothing is ever
made up to fill the gap.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from bookbug.story.rules import WordedRule

MIN_CHIPS, MAX_CHIPS = 3, 5
_CATCH_ALL = {"other", "none", "something else", "none of these", "none of the above"}

# JSON Schema's uniqueItems compares exactly, and no pattern can list every way to say "other".
DISTINCT = WordedRule("chips_distinct", "Chips must all differ, ignoring case and spacing.")
NO_CATCH_ALL = WordedRule("chips_catch_all",
                          'Never offer "Other" or "None" chips: the user can always type their own answer.')


def chip_key(chip: str) -> str:
    """What makes two chips the same chip: their words, ignoring case and spacing."""
    return " ".join(chip.split()).casefold()


def is_catch_all(chip: str) -> bool:
    return re.sub(r"[^a-z ]", "", chip.lower()).strip() in _CATCH_ALL


def check_chips(chips: list[str], *, low: int = MIN_CHIPS, high: int = MAX_CHIPS) -> list[str]:
    """The chips, tidied; raises when fewer than `low` real, distinct chips are left."""
    given = [" ".join(chip.split()) for chip in chips]
    given = [chip for chip in given if chip]
    if len(given) < low:
        raise PydanticCustomError("chips_count", "offer {low}-{high} chips, not {count}",
                                  {"low": low, "high": high, "count": len(given)})
    kept = [chip for chip in given if not is_catch_all(chip)]
    if len(kept) < low:
        dropped = [chip for chip in given if is_catch_all(chip)]
        raise NO_CATCH_ALL.broken(f"no catch-all chips like {dropped}: the user can always type their own answer")
    distinct: list[str] = []
    for chip in kept:
        if chip_key(chip) not in {chip_key(seen) for seen in distinct}:
            distinct.append(chip)
    if len(distinct) < low:
        raise DISTINCT.broken(f"chips must all differ (ignoring case and spacing); {kept} has {len(distinct)} "
                              f"different chips, and a question needs {low}-{high}")
    return distinct[:high]


def chips_schema(low: int, high: int) -> dict[str, Any]:
    """What the JSON schema says of a list of `low`-`high` chips."""
    return {"type": "array", "items": {"type": "string", "pattern": r"\S"}, "minItems": low, "maxItems": high,
            "uniqueItems": True}


def chips_description(what: str) -> str:
    """A chips field's description: what they are, and the rules the schema cannot say."""
    return f"{what}. {DISTINCT.statement} {NO_CATCH_ALL.statement}"


class Chips:
    """A field of `low`-`high` chips (`Annotated[list[str], Chips(2, 4)]`), tidied, then checked."""

    def __init__(self, low: int = MIN_CHIPS, high: int = MAX_CHIPS) -> None:
        self.low, self.high = low, high

    def _check(self, value: Any) -> Any:
        if isinstance(value, list) and all(isinstance(chip, str) for chip in value):
            return check_chips(value, low=self.low, high=self.high)
        return value  # the list[str] validator explains what is wrong

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        return {**handler(schema), **chips_schema(self.low, self.high)}
