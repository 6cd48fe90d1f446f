"""Estimated cost of Claude tokens, from Anthropic's list prices in USD per million tokens.

An estimate for showing what a book cost; the invoice is the truth. Unknown models are
priced like the nearest family by name (opus, sonnet, haiku), else like Sonnet.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Price:
    input: float
    output: float

    @property
    def cache_read(self) -> float:
        return self.input * 0.1

    @property
    def cache_write(self) -> float:
        return self.input * 1.25


_BY_FAMILY: dict[str, Price] = {
    "opus": Price(5.0, 25.0),
    "sonnet": Price(3.0, 15.0),
    "haiku": Price(1.0, 5.0),
}
# Older generations priced differently from their family's current price.
_EXACT: dict[str, Price] = {
    "claude-3-opus-20240229": Price(15.0, 75.0),
    "claude-opus-4-0": Price(15.0, 75.0),
    "claude-opus-4-1": Price(15.0, 75.0),
    "claude-3-5-haiku-latest": Price(0.8, 4.0),
    "claude-3-haiku-20240307": Price(0.25, 1.25),
}


def price_of(model: str) -> Price:
    if model in _EXACT:
        return _EXACT[model]
    for family, price in _BY_FAMILY.items():
        if family in model:
            return price
    return _BY_FAMILY["sonnet"]


def estimate_cost(model: str, input_tokens: int, output_tokens: int, cache_read: int = 0, cache_write: int = 0) -> float:
    price = price_of(model)
    dollars = (input_tokens * price.input + output_tokens * price.output
               + cache_read * price.cache_read + cache_write * price.cache_write) / 1_000_000
    return round(dollars, 6)
