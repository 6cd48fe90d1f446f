"""`/books/[book_id]`: the book being made (live), or the reader when it is done."""

from __future__ import annotations

import reflex as rx

from bookbug.components.books import status_badge
from bookbug.components.layout import BRAND_COLOR, not_found_notice, page_layout
from bookbug.components.redo import decision, redo_button, redo_form, redo_messages
from bookbug.pages.registry import page
from bookbug.state.book import BookState
from bookbug.state.rows import PageRow

# Arrow keys turn the reader's pages by pressing its buttons, so keys and clicks share one path.
ARROW_KEYS = """
document.addEventListener('keydown', (event) => {
  if (['INPUT', 'TEXTAREA'].includes(document.activeElement?.tagName)) return;
  const id = {ArrowRight: 'reader-next', ArrowLeft: 'reader-previous'}[event.key];
  const button = id && document.getElementById(id);
  if (button && !button.disabled) { event.preventDefault(); button.click(); }
});
"""


def landed_page(row: PageRow) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.image(src=row.image_url, alt="Page " + row.number.to_string(), width="100%", border_radius="0.4rem",
                     loading="lazy"),
            rx.text("Page " + row.number.to_string(), size="1", color_scheme="gray"),
            rx.text(row.text, size="2"),
            spacing="2",
        ),
        class_name="landed-page",
    )


def in_progress() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.spinner(), rx.text(BookState.stage_label, weight="bold", id="stage"),
                  rx.text(BookState.page_label, color_scheme="gray", id="page-label"), align="center", spacing="3"),
        rx.progress(value=BookState.percent, max=100, width="100%", id="book-progress"),
        rx.button("Cancel", on_click=BookState.cancel_book, color_scheme="red", variant="soft", id="cancel-book"),
        rx.grid(rx.foreach(BookState.pages, landed_page), columns=rx.breakpoints(initial="1", sm="2", md="3"),
                spacing="4", width="100%", id="landed-pages"),
        spacing="4", width="100%",
    )


def download_pdf() -> rx.Component:
    return rx.cond(
        BookState.pdf_rebuilding,
        # a redo's choice is being bound into the PDF: the old file is not offered meanwhile
        rx.button("Rebuilding the PDF…", size="3", loading=True, disabled=True, id="pdf-rebuilding"),
        rx.cond(BookState.pdf_url != "",
                # document navigation: the PDF is an API route, not a page the client router knows
                rx.link(rx.button("Download PDF", size="3", color_scheme=BRAND_COLOR, tab_index=-1),
                        href=BookState.pdf_url, reload_document=True, id="download-pdf")),
    )


def page_view(current: PageRow) -> rx.Component:
    redrawing = (BookState.reader_mode == "drawing") | (BookState.reader_mode == "saving")
    return rx.vstack(
        rx.image(src=current.image_url, alt="Page " + current.number.to_string(), width="100%",
                 max_height="70vh", object_fit="contain", opacity=rx.cond(redrawing, "0.45", "1"),
                 id="reader-image"),
        rx.text(current.text, size="4", id="reader-text"),
        spacing="3", align="center",
    )


def reader() -> rx.Component:
    current = BookState.reader_page
    return rx.vstack(
        rx.hstack(
            download_pdf(),
            redo_button(),
            rx.text(BookState.reader_label, color_scheme="gray", id="reader-position"),
            align="center", spacing="4", wrap="wrap",
        ),
        redo_form(),
        redo_messages(),
        rx.card(
            rx.cond(BookState.reader_mode == "deciding", decision(current), page_view(current)),
            width="100%",
        ),
        rx.hstack(
            rx.button("← Previous", on_click=BookState.previous_page, disabled=BookState.at_first, variant="soft",
                      id="reader-previous"),
            rx.spacer(),
            rx.button("Next →", on_click=BookState.next_page, disabled=BookState.at_last, variant="soft",
                      id="reader-next"),
            width="100%",
        ),
        rx.text("Tip: the arrow keys turn the pages.", size="1", color_scheme="gray"),
        rx.script(ARROW_KEYS),
        spacing="4", width="100%", id="reader",
    )


def failed() -> rx.Component:
    return rx.vstack(
        rx.callout(BookState.failure, icon="triangle_alert", color_scheme="red", id="failure"),
        rx.button("Retry", on_click=BookState.retry_book, size="3", id="retry-book"),
        spacing="3", width="100%",
    )


def body() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.heading(BookState.title, size="7", id="book-title"), status_badge(BookState.status),
                  align="center", spacing="3"),
        rx.cond(BookState.notice != "", rx.callout(BookState.notice, icon="info", color_scheme="amber")),
        rx.cond(BookState.cost_label != "", rx.text(BookState.cost_label, size="2", color_scheme="gray",
                                                     id="book-cost")),
        rx.cond(BookState.paused, rx.callout(BookState.error, icon="pause", color_scheme="amber", id="paused")),
        rx.match(
            BookState.status,
            ("complete", reader()),
            ("failed", failed()),
            ("cancelled", rx.text("This book was cancelled.", id="cancelled")),
            ("generating", in_progress()),
            ("paused", in_progress()),
            rx.vstack(rx.text("This book is still being planned in its conversation."),
                      rx.link(rx.button("Continue the conversation"), href="/create/" + BookState.view_book_id)),
        ),
        spacing="5", width="100%",
    )


@page("/books/[book_id]", "Your book · Bookbug", on_load=BookState.load_book)
def book() -> rx.Component:
    return page_layout(rx.cond(BookState.not_found, not_found_notice(), body()))
