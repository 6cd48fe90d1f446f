"""Durations as workflows write them: "500ms", "30s", "1m", "24h", "7d", seconds, or a timedelta."""

from __future__ import annotations

import re
from datetime import timedelta

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$")

Duration = str | int | float | timedelta


def seconds(value: Duration) -> float:
    """`value` in seconds; a clear ValueError for anything else."""
    if isinstance(value, timedelta):
        result = value.total_seconds()
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        result = float(value)
    elif isinstance(value, str):
        match = _PATTERN.match(value)
        if not match:
            raise ValueError(
                f"cannot read the duration {value!r}: write a number and a unit, such as "
                '"500ms", "30s", "5m", "24h" or "7d"'
            )
        result = float(match.group(1)) * _UNITS[match.group(2)]
    else:
        raise ValueError(f"a duration must be text like \"30s\", seconds, or a timedelta, not {value!r}")
    if result < 0:
        raise ValueError(f"a duration cannot be negative, got {value!r}")
    return result
