"""`/books/[book_id]`: the book being made (live), or the reader when it is done."""

from __future__ import annotations

import reflex as rx

from bookbug.components.books import status_badge
from bookbug.components.layout import BRAND_COLOR, not_found_notice, page_layout
from bookbug.components.narration import narration_controls
from bookbug.components.redo import decision, redo_button, redo_form, redo_messages
from bookbug.components.page_edit import edit_button, edit_form, edit_messages
from bookbug.components.sharing import share_button, share_panel
from bookbug.components.registry import page
from bookbug.state.book import BookState
from bookbug.state.rows import PageRow

# Arrow keys and swipes turn the reader's pages by pressing its buttons, so keys, swipes and
# clicks share one path. Listeners sit on the document: the reader is re-rendered as pages turn.
ARROW_KEYS = """
if (!window.__bookbugReaderKeys) {
  window.__bookbugReaderKeys = true;
  const press = (id) => {
    const button = document.getElementById(id);
    if (button && !button.disabled) { button.click(); return true; }
    return false;
  };
  document.addEventListener('keydown', (event) => {
    if (['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement?.tagName)) return;
    const id = {ArrowRight: 'reader-next', ArrowLeft: 'reader-previous'}[event.key];
    if (id && press(id)) event.preventDefault();
  });
  let start = null;
  document.addEventListener('touchstart', (event) => {
    const inReader = event.target.closest && event.target.closest('#reader-page');
    start = inReader && event.touches.length === 1 ? [event.touches[0].clientX, event.touches[0].clientY] : null;
  }, {passive: true});
  document.addEventListener('touchend', (event) => {
    if (!start) return;
    const dx = event.changedTouches[0].clientX - start[0], dy = event.changedTouches[0].clientY - start[1];
    start = null;
    // a deliberate sideways swipe, not a scroll
    if (Math.abs(dx) > 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) press(dx < 0 ? 'reader-next' : 'reader-previous');
  }, {passive: true});
}
"""


def picture_alt(row: PageRow) -> rx.Var[str]:
    """What the picture shows (its illustration beat), for screen readers."""
    return rx.cond(row.description != "", "Page " + row.number.to_string() + ": " + row.description,  # type: ignore[attr-defined]  # a state field is a Var here; Reflex types it as its value
                   "Picture for page " + row.number.to_string())  # type: ignore[attr-defined]  # a state field is a Var here; Reflex types it as its value


def landed_page(row: PageRow) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.image(src=rx.cond(row.thumb_url != "", row.thumb_url, row.image_url), alt=picture_alt(row),
                     width="100%", border_radius="0.4rem", loading="lazy"),
            rx.text("Page " + row.number.to_string(), size="1", color_scheme="gray"),  # type: ignore[attr-defined]  # a state field is a Var here; Reflex types it as its value
            rx.text(row.text, size="2"),
            spacing="2",
        ),
        class_name="landed-page",
    )


def in_progress() -> rx.Component:
    return rx.vstack(
        # role=status: progress is announced politely, without taking the reader away
        rx.hstack(rx.spinner(), rx.text(BookState.stage_label, weight="bold", id="stage"),
                  rx.text(BookState.page_label, color_scheme="gray", id="page-label"), align="center", spacing="3",
                  wrap="wrap", role="status"),
        rx.progress(value=BookState.percent, max=100, width="100%", id="book-progress", aria_label="Book progress"),
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
        rx.hstack(
            rx.cond(BookState.pdf_url != "",
                    # document navigation: the PDF is an API route, not a page the client router knows
                    rx.link(rx.button("Download PDF", size="3", color_scheme=BRAND_COLOR, tab_index=-1),
                            href=BookState.pdf_url, reload_document=True, id="download-pdf")),
            rx.cond(BookState.epub_url != "",
                    rx.link(rx.button("Download e-book (EPUB)", size="3", variant="soft", tab_index=-1),
                            href=BookState.epub_url, reload_document=True, id="download-epub")),
            spacing="3", wrap="wrap",
        ),
    )


def page_view(current: PageRow) -> rx.Component:
    redrawing = (BookState.reader_mode == "drawing") | (BookState.reader_mode == "saving")
    return rx.box(
        rx.image(src=current.image_url, alt=picture_alt(current), opacity=rx.cond(redrawing, "0.45", "1"),
                 id="reader-image"),
        rx.vstack(rx.text(current.text, size="4", id="reader-text"), narration_controls(current),
                  spacing="3", align="center"),
        class_name="reader-page reader-touch", id="reader-page",
    )


def reader() -> rx.Component:
    current = BookState.reader_page
    return rx.vstack(
        rx.hstack(
            download_pdf(),
            redo_button(),
            edit_button(),
            share_button(),
            rx.text(BookState.reader_label, color_scheme="gray", id="reader-position", aria_live="polite"),
            align="center", spacing="4", wrap="wrap",
        ),
        share_panel(),
        redo_form(),
        edit_form(),
        redo_messages(),
        edit_messages(),
        rx.card(
            rx.cond(BookState.reader_mode == "deciding", decision(current), page_view(current)),  # type: ignore[arg-type]  # a state field is a Var here; Reflex types it as its value
            width="100%",
        ),
        rx.hstack(
            rx.button(rx.icon("chevron_left", aria_hidden="true"), "Previous", on_click=BookState.previous_page,
                      disabled=BookState.at_first, variant="soft", size="3", id="reader-previous"),
            rx.spacer(),
            rx.button("Next", rx.icon("chevron_right", aria_hidden="true"), on_click=BookState.next_page,
                      disabled=BookState.at_last, variant="soft", size="3", id="reader-next"),
            width="100%",
        ),
        rx.text("Tip: the arrow keys, or a swipe on the page, turn the pages.", size="1", color_scheme="gray"),
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
        rx.hstack(rx.heading(BookState.title, size="7", id="book-title"), status_badge(BookState.status),  # type: ignore[arg-type]  # a state field is a Var here; Reflex types it as its value
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
