"""Engine test helpers that several modules share: a test worker's log, and waiting on a condition."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path


def step_log(folder: Path) -> list[list[str]]:
    """What the test flows wrote to `folder`/log.txt: the words of each line."""
    path = folder / "log.txt"
    return [line.split() for line in path.read_text().splitlines()] if path.exists() else []


async def until(predicate, timeout: float, what: str) -> None:
    """Poll `predicate` until it holds; fail after `timeout` seconds, naming `what`."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
