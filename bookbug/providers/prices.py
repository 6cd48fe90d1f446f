"""The providers' list prices, which seed the operators' price table, and the estimate of one call.

Every figure here is an ESTIMATE made from published list prices on the date below; the
providers' invoices are the truth. Operators correct the prices on /settings (the table
`prices`); a model with no row of its own is priced by the nearest row by name (a family such
as "sonnet"), else by the provider's "*" row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bookbug.providers.spending import Spent

LIST_PRICES_TAKEN = date(2025, 11, 24)  # when the figures below were read from the providers' price pages
CACHE_READ_FACTOR = 0.1  # Anthropic: a cache read costs a tenth of an input token
CACHE_WRITE_FACTOR = 1.25  # and writing the 5-minute cache a quarter more than one


@dataclass(frozen=True)
class Price:
    """USD per million tokens (input, output, cache read, cache write), per image, per second."""

    provider: str
    model: str  # a model name, a family word ("sonnet") or "*" for anything else of the provider
    input: float = 0.0
    output: float = 0.0
    cache_read: float = 0.0
    cache_write: float = 0.0
    image: float = 0.0
    second: float = 0.0
    taken_on: date = LIST_PRICES_TAKEN


def _claude(model: str, input: float, output: float) -> Price:
    return Price("anthropic", model, input, output, input * CACHE_READ_FACTOR, input * CACHE_WRITE_FACTOR)


LIST_PRICES: tuple[Price, ...] = (
    _claude("opus", 5.0, 25.0),
    _claude("sonnet", 3.0, 15.0),
    _claude("haiku", 1.0, 5.0),
    _claude("claude-opus-4-1", 15.0, 75.0),
    _claude("claude-opus-4-0", 15.0, 75.0),
    _claude("claude-3-5-haiku-latest", 0.8, 4.0),
    _claude("*", 3.0, 15.0),
    Price("replicate", "google/nano-banana-pro", image=0.15),
    Price("replicate", "google/nano-banana", image=0.039),
    Price("replicate", "google/imagen-4", image=0.04),
    Price("replicate", "jaaari/kokoro-82m", image=0.001),  # a page read aloud (per prediction)
    Price("replicate", "*", image=0.15),
)


def pick(prices: list[Price] | tuple[Price, ...], provider: str, model: str) -> Price:
    """The price of `model`: its own row, else the longest row name found in the model's name,
    else the provider's "*" row, else free (an unknown provider is not guessed at)."""
    mine = [p for p in prices if p.provider == provider]
    exact = next((p for p in mine if p.model == model), None)
    if exact is not None:
        return exact
    near = sorted((p for p in mine if p.model != "*" and p.model in model), key=lambda p: -len(p.model))
    if near:
        return near[0]
    return next((p for p in mine if p.model == "*"), Price(provider, model))


def cost(price: Price, spent: Spent) -> float:
    """The estimated USD of one call at `price`."""
    dollars = (spent.input_tokens * price.input + spent.output_tokens * price.output
               + spent.cache_read_tokens * price.cache_read + spent.cache_write_tokens * price.cache_write) / 1e6
    dollars += spent.images * price.image + spent.seconds * price.second
    return round(dollars, 6)


def most(price: Price, input_tokens: int, max_output_tokens: int, images: int = 0) -> float:
    """The most a call can cost: every input token written to the cache (the dearest way in) and
    every output token the request allows."""
    per_input = max(price.input, price.cache_write)
    return round((input_tokens * per_input + max_output_tokens * price.output) / 1e6 + images * price.image, 6)
