"""A value one parallel branch hands to others, inside one execution of a workflow.

Branches of `ctx.step.parallel` run concurrently; a branch that needs another's result (a
page's text, the hero picture) awaits its Handoff. If the producing branch fails or
suspends, every branch waiting on it gets the same exception, so none waits forever and
the run suspends or fails as a whole.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Generic, TypeVar

T = TypeVar("T")


class Handoff(Generic[T]):
    def __init__(self) -> None:
        self._future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        # nobody may be waiting when it fails; that is fine, the producer raises it anyway
        self._future.add_done_callback(lambda f: f.cancelled() or f.exception())

    async def produce(self, work: Awaitable[T]) -> T:
        try:
            value = await work
        except BaseException as exc:
            if not self._future.done():
                self._future.set_exception(exc)
            raise
        if not self._future.done():
            self._future.set_result(value)
        return value

    def set(self, value: T) -> None:
        if not self._future.done():
            self._future.set_result(value)

    def fail(self, exc: BaseException) -> None:
        if not self._future.done():
            self._future.set_exception(exc)

    async def get(self) -> T:
        return await asyncio.shield(self._future)
