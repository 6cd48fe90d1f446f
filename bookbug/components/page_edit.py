"""The reader's "Edit words": the page's words changed by hand, then the PDF rebuilt with them."""

from __future__ import annotations

import reflex as rx

from bookbug.components.layout import BRAND_COLOR
from bookbug.components.reader_form import reader_form
from bookbug.services.page_edits import MAX_PAGE_CHARS
from bookbug.state.book import BookState


def edit_button() -> rx.Component:
    return rx.button(rx.icon("pencil", size=16), "Edit words", on_click=BookState.open_edit,
                     disabled=~BookState.can_edit | BookState.edit_form_open, variant="soft", id="edit-open")


def edit_form() -> rx.Component:
    return reader_form(
        BookState.edit_form_open,
        rx.text("The words of page " + BookState.reader_page.number.to_string(), weight="bold"),
        rx.text_area(name="text", value=BookState.edit_text, on_change=BookState.set_edit_text,
                     rows="4", width="100%", max_length=MAX_PAGE_CHARS, id="edit-text"),
        rx.text("Only the words change; the picture stays. The PDF is made again with them.",
                size="1", color_scheme="gray"),
        rx.cond(BookState.edit_notice != "",
                rx.callout(BookState.edit_notice, icon="info", color_scheme="amber", size="1",
                           id="edit-notice")),
        submit=rx.button("Save words", type="submit", loading=BookState.edit_sending,
                         color_scheme=BRAND_COLOR, id="edit-submit"),
        on_submit=BookState.save_edit, on_cancel=BookState.close_edit, name="edit",
    )


def edit_messages() -> rx.Component:
    return rx.fragment(
        rx.cond(~BookState.edit_form_open & (BookState.edit_notice != ""),
                rx.callout(BookState.edit_notice, icon="info", color_scheme="amber", size="1")),
        rx.cond(BookState.edit_saving,
                rx.callout("Saving your words for page " + BookState.edit_page.to_string() + "…", icon="save",  # type: ignore[attr-defined]  # a state field is a Var here; Reflex types it as its value
                           color_scheme=BRAND_COLOR, size="1", id="edit-saving")),
        rx.cond(BookState.edit_failure != "",
                rx.callout(BookState.edit_failure, icon="triangle_alert", color_scheme="red", size="1",
                           id="edit-failed")),
    )
