"""The one way Bookbug builds an Anthropic client: no SDK retries, and the engine's pacing hooked
into the HTTP layer itself.

`before_request` is awaited by the HTTP client right before each request goes out (a rate
limit, a provider pause), the last moment under our control, so nothing waits between the
check and the send. `on_throttled` hears of a 429 the moment the answer arrives, with its
Retry-After in seconds, before the SDK turns it into an exception.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from anthropic import AsyncAnthropic, DefaultAsyncHttpxClient

from bookbug.resilience.retry_after import parse_retry_after
from bookbug.settings import Settings

BeforeRequest = Callable[[], Awaitable[None]]
OnThrottled = Callable[[float], Awaitable[None]]


def anthropic_client(settings: Settings, *, timeout: float, before_request: BeforeRequest | None = None,
                     on_throttled: OnThrottled | None = None) -> AsyncAnthropic:
    hooks: dict[str, list[Callable[[Any], Awaitable[None]]]] = {"request": [], "response": []}
    if before_request is not None:
        async def pace(request: Any) -> None:
            await before_request()

        hooks["request"].append(pace)
    if on_throttled is not None:
        async def told(response: Any) -> None:
            if response.status_code == 429:
                await on_throttled(parse_retry_after(response.headers) or 1.0)

        hooks["response"].append(told)
    return AsyncAnthropic(
        api_key=settings.anthropic_api_key,
        base_url=settings.anthropic_base_url or None,
        max_retries=0,  # the durable engine owns retries
        timeout=timeout,
        http_client=DefaultAsyncHttpxClient(event_hooks=hooks, timeout=timeout) if any(hooks.values()) else None,
    )
