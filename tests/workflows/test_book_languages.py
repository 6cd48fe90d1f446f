"""Books in other languages on the Claude path (the real SDK against the Messages stand-in): the
user writes in Spanish or Russian, the brief takes the language, every writing prompt asks for it,
the chips, title and pages come back in it, and the PDF embeds a typeface that prints it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from bookbug.db import Book, session_scope
from bookbug.providers.storage import get_storage
from bookbug.services import books
from tests.conftest import make_user
from tests.standins.claude_offline import carry_inputs
from tests.standins.claude_polyglot import WORDS, Polyglot
from tests.workflows.claude import claude_writes
from tests.workflows.conversation import newest_question, wait_for_status, wait_until


def embedded_fonts(pdf: bytes) -> set[str]:
    """The base names of every font the PDF's pages use (subset prefixes like ABCDEF+ removed)."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", ""))
            names.add(name.split("+", 1)[-1].lstrip("/"))
            holder = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in holder["/FontDescriptor"].get_object(), f"{name} is not embedded"
    return names


@pytest.mark.parametrize(("code", "first", "typeface", "not_used"), [
    ("es", "Escribe el libro en español, por favor. Se llama Mía y tiene 5 años.", "Quicksand", "NotoSans"),
    ("ru", "Напиши книгу на русском, пожалуйста. Её зовут Маша, ей 5 лет.", "NotoSans", "Quicksand"),
])
async def test_a_book_asked_for_in_another_language_is_written_and_printed_in_it(
        book_backend, monkeypatch, code: str, first: str, typeface: str, not_used: str) -> None:
    words = WORDS[code]
    polyglot = Polyglot()
    polyglot.back_to_english[first] = "Her name is Mia and she is 5"  # what the model understands of it
    with claude_writes(monkeypatch) as claude, carry_inputs():
        claude.responder = polyglot
        user = make_user()
        summary = await books.create_book(user.id, page_count=8)
        question = await wait_until(lambda: newest_question(user.id, summary.id, 0), what="the first question")
        assert question.content != words["question"]  # nobody asked for another language yet: English
        await books.send_message(user.id, summary.id, first)
        chips_seen: list[str] = []
        for _ in range(30):
            turn = question.turn
            question = await wait_until(lambda turn=turn: newest_question(user.id, summary.id, turn), what="the next question")
            chips_seen += question.chips
            if question.phase == "plot_review":
                break
            assert question.content == words["question"], question.content
            await books.send_message(user.id, summary.id, question.chips[0])
        assert question.phase == "plot_review" and words["question"] in question.content
        assert chips_seen and all(chip in words["options"] or chip in (words["surprise"], words["approve"])
                                  for chip in chips_seen), chips_seen
        await books.approve(user.id, summary.id)
        book = await wait_for_status(user.id, summary.id)
        assert book.status == "complete", book.error

    assert book.brief["language"] == code
    for agent in ("intake_turn", "plot_proposal", "prose_setup", "prose_page"):
        assert polyglot.asked.get(agent) == {code}, f"{agent}'s prompt did not ask for {words['name']}"
    assert book.title == words["title"].format(hero="Mia")
    texts = [page.text for page in book.pages]
    assert len(texts) == 8 and all(text.startswith(tuple(s.split("{")[0] for s in words["sentences"]))
                                   or "Mia" in text for text in texts)

    with session_scope() as session:
        pdf_key = session.get(Book, summary.id).pdf_key
    pdf = get_storage().get(pdf_key)
    fonts = embedded_fonts(pdf)
    assert any(name.startswith(typeface) for name in fonts), fonts
    assert not any(name.startswith(not_used) for name in fonts), fonts
    printed = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert " ".join(texts[0].split())[:30] in printed
    assert {"es": "Fin", "ru": "Конец"}[code] in printed
