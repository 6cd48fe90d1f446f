"""The conversation page's state: starting a book, sending, chips, bad input, phases, returning."""

from __future__ import annotations

from collections.abc import Callable

from bookbug.engine import Engine
from bookbug.services import books
from bookbug.services.books import MAX_MESSAGE_CHARS
from bookbug.state.chat import ChatState
from tests.web.conftest import Viewer, build_state, call, redirect_target, visit
from tests.support.web import open_chat, refresh_until


async def test_starting_a_book_redirects_to_its_conversation_and_shows_the_first_question(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    state = await open_chat(make_viewer("mia"))
    assert state.messages[0].role == "assistant" and state.messages[0].content
    assert state.talking and not state.thinking and state.can_send
    assert [row.label for row in state.brief] == ["Hero", "Age", "Characters", "Setting", "Theme", "Art style",
                                                  "Pages", "Format"]


async def test_a_signed_out_visitor_is_sent_to_sign_in(engine: Engine) -> None:
    state = build_state(ChatState, path="/create")
    assert redirect_target(await call(state, "start_book")) == "/login?next=%2Fcreate"  # back here after signing in
    visit(state, "/create/whatever")
    assert redirect_target(await call(state, "load_conversation")) == "/login?next=%2Fcreate%2Fwhatever"


async def test_empty_and_overlong_messages_are_refused_with_a_reason_and_not_sent(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = await open_chat(viewer)
    await call(state, "send_draft", {"message": "   "})
    assert state.notice == "Type a message first."
    await call(state, "send_draft", {"message": "x" * (MAX_MESSAGE_CHARS + 1)})
    assert f"at most {MAX_MESSAGE_CHARS:,} characters" in state.notice
    assert [m.role for m in books.history(viewer.user_id, state.chat_book_id)] == ["assistant"]


async def test_a_double_click_sends_once(engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = await open_chat(viewer)
    await call(state, "send_draft", {"message": "Her name is Mia and she is 5"})
    assert state.thinking and not state.can_send  # the reply is owed: sending is disabled
    await call(state, "send_draft", {"message": "Her name is Mia and she is 5"})
    assert state.notice == "Bookbug is still answering your last message."
    sent = [m for m in books.history(viewer.user_id, state.chat_book_id) if m.role == "user"]
    assert len(sent) == 1


async def test_markup_typed_in_the_chat_is_kept_as_plain_text(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = await open_chat(viewer)
    typed = "<script>alert('hi')</script><b>Mia</b>"
    await call(state, "send_draft", {"message": typed})
    assert state.messages[-1].content == typed  # shown by rx.text, which escapes it


async def test_chips_answer_the_question_and_the_plot_review_can_be_approved(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    state = await open_chat(viewer)
    assert await call(state, "approve_plot") is None
    assert state.notice == "There is no plot to approve yet."
    answers = iter(["Her name is Mia and she is 5", "a dragon who is afraid of the dark", "a cozy village by the sea"])
    for _ in range(20):
        if state.in_plot_review:
            break
        turn = state.messages[-1].turn
        if state.chips:
            await call(state, "choose_chip", state.chips[0])
        else:
            await call(state, "send_draft", {"message": next(answers, "Surprise me!")})
        assert state.notice == ""
        await refresh_until(state, lambda turn=turn: state.last_is_assistant and state.messages[-1].turn > turn, "a reply")
    assert state.in_plot_review and state.outline
    assert all(row.value for row in state.brief if row.label in ("Hero", "Setting", "Art style"))
    target = redirect_target(await call(state, "approve_plot"))
    assert target == f"/books/{state.chat_book_id}"
    book = books.get_book(viewer.user_id, state.chat_book_id)
    assert book.status not in ("intake", "draft")


async def test_returning_restores_the_whole_conversation_from_the_database(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    viewer = make_viewer("mia")
    first = await open_chat(viewer)
    await call(first, "send_draft", {"message": "Her name is Mia and she is 5"})
    await refresh_until(first, lambda: first.last_is_assistant, "the reply")
    later = build_state(ChatState, token=viewer.token, path=f"/create/{first.chat_book_id}")  # another device
    await call(later, "load_conversation")
    assert [(m.role, m.content, m.chips) for m in later.messages] == \
        [(m.role, m.content, m.chips) for m in first.messages]
    assert later.brief == first.brief


async def test_someone_elses_book_looks_exactly_like_a_missing_one(
        engine: Engine, make_viewer: Callable[[str], Viewer]) -> None:
    owner = await open_chat(make_viewer("mia"))
    stranger = make_viewer("leo")
    theirs = build_state(ChatState, token=stranger.token, path=f"/create/{owner.chat_book_id}")
    missing = build_state(ChatState, token=stranger.token, path="/create/doesnotexist")
    await call(theirs, "load_conversation")
    await call(missing, "load_conversation")
    for state in (theirs, missing):
        assert state.not_found and state.messages == [] and state.brief == []
    await call(theirs, "send_draft", {"message": "let me in"})
    assert [m.role for m in books.history(owner._viewer_id, owner.chat_book_id)] == ["assistant"]
