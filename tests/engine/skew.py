"""Run a process on a wrong clock: every reading of the wall clock (time.time, datetime.now and
datetime.utcnow) is `offset` seconds off, as on a machine whose clock drifted. The monotonic
clock is left alone (it has no epoch to be wrong about). Apply before importing the code under
test, so its `from datetime import datetime` picks up the skewed class."""

from __future__ import annotations

import datetime as _datetime
import time as _time


def apply(offset: float) -> None:
    if not offset:
        return
    real_time = _time.time
    real_ns = _time.time_ns
    real_datetime = _datetime.datetime
    delta = _datetime.timedelta(seconds=offset)

    class SkewedDatetime(real_datetime):  # type: ignore[misc,valid-type]
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def,override]
            return real_datetime.now(tz) + delta

        @classmethod
        def utcnow(cls):  # type: ignore[no-untyped-def,override]
            return real_datetime.now(_datetime.UTC).replace(tzinfo=None) + delta

    _time.time = lambda: real_time() + offset  # type: ignore[assignment]
    _time.time_ns = lambda: real_ns() + int(offset * 1e9)  # type: ignore[assignment]
    _datetime.datetime = SkewedDatetime  # type: ignore[misc]
