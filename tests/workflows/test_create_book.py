"""create-book on the embedded engine with the offline writer and illustrator, chat to PDF."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader
from sqlmodel import select

from bookbug.db import Book, RenderedPage, session_scope
from bookbug.providers.storage import get_storage
from bookbug.publishing.screen_sizes import LONGEST_SIDE, ScreenSize, sized_key
from bookbug.services import books
from tests.conftest import make_user
from tests.workflows.conversation import answer_intake, finish_book, wait_for_status


async def test_a_book_goes_from_the_first_question_to_a_printable_pdf(book_backend) -> None:
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    proposal = await answer_intake(user.id, summary.id)
    assert proposal.phase == "plot_review"
    assert proposal.chips, "the plot review offers change chips and an approval chip"
    assert books.get_book(user.id, summary.id).status == "plot"
    await books.approve(user.id, summary.id)

    book = await wait_for_status(user.id, summary.id)
    assert book.status == "complete", book.error
    assert len(book.pages) == 8
    assert all(page.text for page in book.pages)
    assert all(page.alt.endswith(".") and len(page.alt) > 20 for page in book.pages), "each picture is described"
    assert book.pdf_url and book.epub_url
    with session_scope() as session:
        row = session.get(Book, summary.id)
        pdf = get_storage().get(row.pdf_key)
        epub = get_storage().get(row.epub_key)
        sheets = row.characters
        brief = row.brief
    assert brief["characters"][0]["name"] == "Mia"
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) % 4 == 0
    assert sheets and all(s.get("sheet_key") for s in sheets)
    assert epub[:4] == b"PK\x03\x04" and b"application/epub+zip" in epub[:100]


async def test_every_page_has_its_screen_copies_before_anyone_asks_for_them(book_backend) -> None:
    # The gallery and the reader show a card-sized and a screen-sized copy; made when the page is
    # drawn, the first viewer does not wait for them.
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    book = await finish_book(user.id, summary.id)
    assert book.status == "complete", book.error
    with session_scope() as session:
        keys = [page.storage_key for page in session.exec(select(RenderedPage).where(
            RenderedPage.book_id == summary.id)).all()]
    assert len(keys) == 8
    files = get_storage()
    for key in keys:
        for size in ScreenSize:
            copy = Image.open(io.BytesIO(files.get(sized_key(key, size))))
            assert copy.format == "JPEG" and max(copy.size) <= LONGEST_SIDE[size]


async def test_asking_for_plot_changes_revises_the_plot_and_asks_again(book_backend) -> None:
    user = make_user()
    summary = await books.create_book(user.id, page_count=8)
    proposal = await answer_intake(user.id, summary.id)
    before = books.get_book(user.id, summary.id).plot
    await books.send_message(user.id, summary.id, "Make the dragon friendlier and add a picnic")
    from tests.workflows.conversation import newest_question, wait_until

    revised = await wait_until(lambda: newest_question(user.id, summary.id, proposal.turn), what="the revised plot")
    assert revised.phase == "plot_review"
    after = books.get_book(user.id, summary.id).plot
    assert after != before
    assert books.get_book(user.id, summary.id).status == "plot"
