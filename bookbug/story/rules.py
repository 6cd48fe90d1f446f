"""Rules JSON Schema cannot state, told to the model in words instead.

A tool schema carries every rule it can express (lengths, counts, enums, patterns, ranges).
What remains, such as counting the words of a page or a moral said word for word, is written
where the model reads it (the prompt or a field description), and a reply breaking it fails
with the rule's own error type, so a caller or a test can tell these failures apart from a
reply that broke the schema, without reading messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic_core import PydanticCustomError

_RULES: dict[str, WordedRule] = {}


@dataclass(frozen=True)
class WordedRule:
    kind: str  # the error type of a reply that breaks the rule
    statement: str  # the words the model is told, verbatim, in its prompt or the schema

    def __post_init__(self) -> None:
        _RULES[self.kind] = self

    def broken(self, detail: str) -> PydanticCustomError:
        """The error to raise from a validator: a ValueError pydantic reports with this rule's kind."""
        return PydanticCustomError(self.kind, "{detail}", {"detail": detail})


def worded_rule(kind: str) -> WordedRule | None:
    """The worded rule an error type stands for, if it stands for one."""
    return _RULES.get(kind)
