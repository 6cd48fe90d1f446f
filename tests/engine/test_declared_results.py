"""A step's result comes back as the type its function declares: a result checkpointed as a plain
dict by code deployed before the step returned a model replays as that model, and one that no
longer fits fails the run as a changed workflow instead of handing the workflow a wrong value."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from bookbug.engine import Registry, WorkflowChanged, run_steps, workflow
from bookbug.engine.codec import decode, encode
from bookbug.engine.results import as_declared
from tests.engine.conftest import wait_for_run, wait_for_step


class Parcel(BaseModel):
    weight: int
    label: str = ""


def _old_make() -> dict:
    return {"weight": 3, "label": "fragile"}


def _new_make() -> Parcel:
    raise AssertionError("a completed step never runs again")


async def test_a_dict_checkpointed_before_a_deploy_replays_as_the_model_the_step_now_returns(embedded, make_engine):
    db_url, redis_url = embedded
    registry = Registry()
    deployed = {"make": _old_make}
    seen: list[object] = []

    @workflow("parcel", trigger="parcel/start", registry=registry)
    async def parcel(ctx):
        made = await ctx.step.run("make", deployed["make"])
        await ctx.step.wait_for_event("ship", event="parcel/shipped", timeout="10s")
        seen.append(made)
        return {"weight": made.weight}

    _old_make.__name__ = _new_make.__name__ = "make"  # the same step function, before and after the deploy
    engine = make_engine(db_url, redis_url, registry)
    async with engine, engine.worker():
        run_id = (await engine.send_event("parcel/start", {})).started[0]
        await wait_for_step(db_url, run_id, "ship", "waiting")
        stored = {s.step_id: s for s in run_steps(db_url, run_id)}["make"]
        assert stored.status.value == "completed"
        deployed["make"] = _new_make  # the deploy: the replay meets the typed step
        await engine.send_event("parcel/shipped", {})
        run = await wait_for_run(db_url, run_id)
    assert run.status.value == "completed", run.error
    assert seen == [Parcel(weight=3, label="fragile")]


def test_a_stored_result_that_no_longer_fits_the_declared_type_fails_as_a_changed_workflow() -> None:
    def weigh() -> Parcel:
        return Parcel(weight=1)

    with pytest.raises(WorkflowChanged, match="step 'parcels\\[a\\]/weigh'.*start a new run"):
        as_declared(weigh, {"weight": "heavy"}, "parcels[a]/weigh")


def test_results_of_functions_that_declare_no_model_come_back_as_stored() -> None:
    def plain() -> dict[str, int]:
        return {"n": 1}

    async def coroutine() -> list[Parcel]:
        return []

    stored = {"n": 1}
    assert as_declared(plain, stored, "plain") is stored
    assert as_declared(lambda: None, stored, "lambda") is stored
    assert as_declared(coroutine, [{"weight": 2}], "list") == [Parcel(weight=2)]
    again = decode(encode(Parcel(weight=5)))
    assert as_declared(coroutine, [again], "list")[0] is again  # a model already: not rebuilt
