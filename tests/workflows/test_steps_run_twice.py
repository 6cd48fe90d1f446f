"""Every step of the book workflows is safe to run twice: a step is at least once until its
checkpoint commits (a worker may die after its effect and before its record). Here every step
function really runs twice in a row, and the book still comes out as it should, including a
book set aside in its plot review and picked up again."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bookbug.db import ChatMessage, RenderedPage, session_scope
from bookbug.engine import steps as engine_steps
from bookbug.services import books
from tests.conftest import make_user
from tests.workflows.conversation import answer_intake, newest_question, wait_for_status, wait_until
from tests.support.workflows import leave_the_plot_unanswered

_real_call = engine_steps._call


@pytest.fixture
def every_step_twice(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    ran: list[str] = []

    async def twice(fn, args, kwargs):  # noqa: ANN001, ANN202
        ran.append(getattr(fn, "__name__", "?"))
        await _real_call(fn, args, kwargs)
        return await _real_call(fn, args, kwargs)

    monkeypatch.setattr(engine_steps, "_call", twice)
    return ran


async def test_a_book_whose_every_step_runs_twice_is_the_same_book(book_backend, every_step_twice) -> None:
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    proposal = await answer_intake(user.id, summary.id)
    await leave_the_plot_unanswered(user.id, summary.id, proposal.turn)

    await books.send_message(user.id, summary.id, "Add a picnic by the river")
    revised = await wait_until(lambda: newest_question(user.id, summary.id, proposal.turn), what="the revised plot")
    assert revised.phase == "plot_review", "picked up again where it was left: the plot review"
    assert books.get_book(user.id, summary.id).status == "plot"

    await books.approve(user.id, summary.id)
    book = await wait_for_status(user.id, summary.id)
    assert book.status == "complete", book.error
    assert "set_status" in every_step_twice and "start_prediction" in every_step_twice  # really twice, all along
    with session_scope() as session:
        messages = session.exec(select(ChatMessage).where(ChatMessage.book_id == summary.id)).all()
        pages = session.exec(select(RenderedPage).where(RenderedPage.book_id == summary.id)).all()
    turns = [(m.role, m.turn) for m in messages]
    assert len(turns) == len(set(turns)), "a message was saved twice"
    assert sorted(p.page_number for p in pages) == list(range(1, 9)), "a page is missing or doubled"
    assert len(book.pages) == 8 and all(page.text for page in book.pages)
