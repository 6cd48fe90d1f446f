"""Heartbeats from a thread of their own, so blocking work on the event loop cannot starve them.

A step that holds the event loop (a library without an async API, a long computation) used
to stop the heartbeat with it; past the stale limit the sweep took the live run for dead and
ran it again. Here one thread per engine beats for every execution of the process, with its
own database connection, and renews their concurrency-slot leases with its own Redis client.

A loop that never comes back (a step stuck for good) must not look alive forever: each
execution's loop shows a sign of life every second (`Execution.tick`), and a run whose loop
has been silent longer than `loop_stall_limit` gets no more heartbeats, so the sweep hands it
to another worker (fencing then drops whatever the stuck execution might still write).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any

from bookbug.db.session import get_engine
from bookbug.engine import checkpoints

if TYPE_CHECKING:
    from bookbug.engine.engine import Engine
    from bookbug.engine.execution import Execution

log = logging.getLogger("bookbug.engine")


class Pulse:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._config = engine.config
        self._tracked: dict[tuple[str, int], tuple[Execution, Any]] = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._stopping = False

    def track(self, execution: Execution) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        with self._lock:
            self._tracked[(execution.run_id, execution.generation)] = (execution, loop)
            if self._thread is None or not self._thread.is_alive():
                self._stopping = False
                self._thread = threading.Thread(target=self._beat_forever, name="bookbug-engine-heartbeat",
                                                daemon=True)
                self._thread.start()

    def untrack(self, execution: Execution) -> None:
        with self._lock:
            self._tracked.pop((execution.run_id, execution.generation), None)

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        self._thread = None
        self._wake.clear()

    def _beat_forever(self) -> None:
        while not self._stopping:
            self._wake.wait(self._config.heartbeat_interval)
            if self._stopping:
                return
            try:
                self.beat_once()
            except Exception:  # the database or Redis hiccuped: try again at the next beat
                log.warning("heartbeat failed; trying again in %ss", self._config.heartbeat_interval, exc_info=True)

    def beat_once(self) -> None:
        with self._lock:
            tracked = list(self._tracked.values())
        if not tracked:
            return
        now = time.monotonic()
        with get_engine(self._config.db_url).connect() as conn:
            for execution, loop in tracked:
                if now - execution.loop_tick > self._config.loop_stall_limit:
                    log.error("run %s: its worker's event loop has not run for %.0f s; no more heartbeats, "
                              "so another worker takes it over", execution.run_id, now - execution.loop_tick)
                    continue
                with conn.begin():
                    alive = checkpoints.beat(conn, execution.run_id, execution.generation)
                if not alive:
                    with self._lock:  # an execution that just ended was not taken over
                        still_running = self._tracked.pop((execution.run_id, execution.generation), None)
                    if still_running is not None:
                        loop.call_soon_threadsafe(execution.taken_over)
                    continue
                for slot, holder in list(execution.leases):
                    self._engine.limits.refresh_slot_now(slot, holder, self._config.stale_after)
