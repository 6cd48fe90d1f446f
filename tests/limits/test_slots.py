"""Limits as slots (services/slots.py): against any schedule of takes, renewals, releases and
passing time, a key never holds more slots than its limit, a take fails only when every slot
is held, and says when the first one frees. Racing takers are checked in tests/api
(new books a minute) on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlmodel import SQLModel

import bookbug.db  # noqa: F401 - registers the tables
from bookbug.db.session import get_engine, utcnow
from bookbug.services import slots

HOLD = timedelta(seconds=60)

step = st.one_of(
    st.tuples(st.just("take"), st.integers(min_value=1, max_value=4)),
    st.tuples(st.just("release"), st.integers(min_value=0, max_value=9)),
    st.tuples(st.just("renew"), st.integers(min_value=0, max_value=9)),
    st.tuples(st.just("wait"), st.integers(min_value=1, max_value=90)),
)


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def slot_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('slots') / 'slots.db'}"
    SQLModel.metadata.create_all(get_engine(url))
    return url


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schedule=st.lists(step, min_size=1, max_size=25))
def test_a_key_never_holds_more_than_its_limit_and_is_refused_only_when_full(
        slot_db: str, schedule: list[tuple[str, int]], monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(slots, "utcnow", clock)
    key = f"user-{id(schedule)}-{clock.now.timestamp()}"
    held: list[slots.Held] = []
    until: dict[tuple[int, str], datetime] = {}  # the model: each holder's slot and when it frees
    for action, value in schedule:
        live = {slot: at for (slot, _), at in until.items() if at > clock.now}
        if action == "take":
            limit = value
            free_in_model = sum(1 for slot in range(limit) if slot not in live)
            with bookbug.db.session_scope(slot_db) as session:
                taken = slots.take_in(session, "test", key, limit, HOLD, now=clock.now)
            if free_in_model:
                assert isinstance(taken, slots.Held) and taken.slot < limit and taken.slot not in live
                held.append(taken)
                until = {k: v for k, v in until.items() if k[0] != taken.slot}
                until[(taken.slot, taken.holder)] = clock.now + HOLD
            else:
                assert isinstance(taken, slots.Full)
                soonest = min(at for slot, at in live.items() if slot < limit)
                assert taken.retry_after == pytest.approx((soonest - clock.now).total_seconds())
        elif action in ("release", "renew") and held:
            mine = held[value % len(held)]
            ours = until.get((mine.slot, mine.holder))
            if action == "release":
                slots.release(mine, db_url=slot_db)
                until.pop((mine.slot, mine.holder), None)  # free now, and no longer ours
            else:
                renewed = slots.renew(mine, HOLD, db_url=slot_db)
                assert renewed == (ours is not None)
                if ours is not None:
                    until[(mine.slot, mine.holder)] = clock.now + HOLD
        elif action == "wait":
            clock.now += timedelta(seconds=value)
