"""Branches that hand values to each other: `ctx.step.flow`, for work that overlaps as far as its
inputs allow.

    flow = ctx.step.flow("parcels")
    label: Value[Label] = flow.value("label")
    flow.branch("address", write_label, gives=[label])      # calls label.set(...) when it has one
    flow.branch("box", pack_box)                            # does `await label` only where it needs it
    await flow.run()

Every branch starts at once (as in `parallel`, whose named branches and checkpoints these are)
and waits for a value only where it uses it, so a dependent goes on the moment its input is
set, not when the branch giving it ends. A branch that fails, suspends or is cancelled fails
every value it gives and has not set yet with the same exception, and one that ends without
setting a value fails it with an error naming both: nobody waits forever, and the run fails or
suspends as a whole, as `parallel` decides.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from bookbug.engine.steps import Steps

T = TypeVar("T")


class Value(Generic[T]):
    """One value a branch of a flow gives to the others; `await value` waits until it is set."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        # when nobody waits for a failed value, that is fine: its branch raises the failure anyway
        self._future.add_done_callback(lambda f: f.cancelled() or f.exception())

    def set(self, value: T) -> T:
        """Give the value (once; later calls change nothing) and return it."""
        if not self._future.done():
            self._future.set_result(value)
        return value

    def fail(self, exc: BaseException) -> None:
        if not self._future.done():
            self._future.set_exception(exc)

    @property
    def ready(self) -> bool:
        return self._future.done()

    def __await__(self) -> Generator[Any, None, T]:
        # shielded: a waiter being cancelled must not cancel the value for the other waiters
        return asyncio.shield(self._future).__await__()

    def __repr__(self) -> str:
        return f"Value({self.name!r})"


class NotGiven(RuntimeError):
    """A branch ended without setting a value it said it gives (a bug in the workflow)."""


class Flow:
    """Named branches run together, each giving some values and awaiting others (see module doc)."""

    def __init__(self, steps: Steps, step_id: str) -> None:
        self._steps, self._id = steps, step_id
        self._values: list[Value[Any]] = []
        self._branches: dict[str, tuple[Callable[[], Awaitable[Any]], tuple[Value[Any], ...]]] = {}

    def value(self, name: str) -> Value[Any]:
        """A value one branch of this flow will give (annotate it: `guide: Value[Guide] = ...`)."""
        value: Value[Any] = Value(name)
        self._values.append(value)
        return value

    def branch(self, name: str, fn: Callable[[], Awaitable[Any]], *, gives: Sequence[Value[Any]] = ()) -> None:
        """Add branch `name` (its checkpoints are kept under that name, as `parallel`'s are)."""
        if name in self._branches:
            raise ValueError(f"the flow {self._id!r} already has a branch {name!r}")
        self._branches[name] = (fn, tuple(gives))

    async def run(self) -> dict[str, Any]:
        """Run every branch; returns each branch's result by name once all have finished."""
        givers: dict[int, str] = {}
        for name, (_, gives) in self._branches.items():
            for value in gives:
                if id(value) in givers:
                    raise ValueError(f"{value!r} is given by both {givers[id(value)]!r} and {name!r}")
                givers[id(value)] = name
        orphans = [v for v in self._values if id(v) not in givers]
        if orphans:
            raise ValueError(f"no branch gives {', '.join(map(repr, orphans))}: whoever awaits it would wait forever")
        return await self._steps.parallel(self._id, {name: self._wrap(name, fn, gives)
                                                     for name, (fn, gives) in self._branches.items()})

    @staticmethod
    def _wrap(name: str, fn: Callable[[], Awaitable[Any]],
              gives: tuple[Value[Any], ...]) -> Callable[[], Awaitable[Any]]:
        async def branch() -> Any:
            try:
                result = await fn()
            except BaseException as exc:  # a failure, a suspension or a cancellation: the waiters get it too
                for value in gives:
                    value.fail(exc)
                raise
            for value in gives:
                value.fail(NotGiven(f"the branch {name!r} ended without giving {value.name!r}"))
            return result

        return branch
