"""The reader's "Redo this page": the form, the page being redrawn, and new beside old to choose."""

from __future__ import annotations

import reflex as rx

from bookbug.components.layout import BRAND_COLOR
from bookbug.components.reader_form import reader_form
from bookbug.services.redos import MAX_NOTE_CHARS
from bookbug.state.book import BookState
from bookbug.state.redo_form import RedoFormState
from bookbug.state.rows import PageRow


def redo_button() -> rx.Component:
    return rx.button(rx.icon("refresh_cw", size=16), "Redo this page", on_click=RedoFormState.open_redo,
                     disabled=~RedoFormState.can_redo | RedoFormState.redo_form_open, variant="soft", id="redo-open")


def redo_form() -> rx.Component:
    return reader_form(
        RedoFormState.redo_form_open,
        rx.text("Redo page " + BookState.reader_page.number.to_string(), weight="bold"),
        rx.text_area(name="note", value=RedoFormState.redo_note, on_change=RedoFormState.set_redo_note,
                     placeholder="What should change? (optional) e.g. make Mia laugh",
                     rows="2", width="100%", id="redo-note", aria_label="What should change"),
        rx.hstack(
            rx.checkbox("Also rewrite the text", name="rewrite", checked=RedoFormState.redo_rewrite,
                        on_change=RedoFormState.set_redo_rewrite, id="redo-rewrite"),
            rx.spacer(),
            rx.text(RedoFormState.redo_note_length.to_string() + f" / {MAX_NOTE_CHARS}", size="1",
                    color_scheme=rx.cond(RedoFormState.redo_note_length > MAX_NOTE_CHARS, "red", "gray")),
            width="100%", align="center",
        ),
        rx.text("The note guides the new picture, and the new words too if you also rewrite "
                "the text. The rest of the book stays as it is.", size="1", color_scheme="gray"),
        submit=rx.button("Redo page", type="submit", disabled=~RedoFormState.can_redo,
                         loading=RedoFormState.redo_sending, color_scheme=BRAND_COLOR, id="redo-submit"),
        on_submit=RedoFormState.start_redo, on_cancel=RedoFormState.close_redo, name="redo",
    )


def redo_messages() -> rx.Component:
    """What the viewer needs to know about a redo, one sentence each."""
    return rx.fragment(
        rx.cond(RedoFormState.redo_notice != "",
                rx.callout(RedoFormState.redo_notice, icon="info", color_scheme="amber", size="1", id="redo-notice")),
        rx.cond(BookState.redo_elsewhere != "",
                rx.hstack(
                    rx.text(BookState.redo_elsewhere, size="2", id="redo-elsewhere"),
                    rx.button("Show page " + BookState.redo_elsewhere_page.to_string(), size="1", variant="soft",
                              on_click=BookState.open_page_number(BookState.redo_elsewhere_page)),  # type: ignore[operator]  # Reflex types an @rx.event handler as EventNamespace
                    align="center", spacing="3",
                )),
        rx.match(
            BookState.reader_mode,
            ("drawing", rx.callout("Bookbug is redrawing this page… the new version appears here beside the "
                                   "old one.", icon="paintbrush", color_scheme=BRAND_COLOR, id="redo-drawing")),
            ("saving", rx.callout("Saving your choice…", icon="save", color_scheme=BRAND_COLOR, id="redo-saving")),
            ("failed", rx.hstack(
                rx.callout(BookState.redo_failure, icon="triangle_alert", color_scheme="red", id="redo-failed",
                           flex="1"),
                rx.button("Dismiss", on_click=RedoFormState.dismiss_redo_failure, size="1", variant="soft",
                          color_scheme="gray", id="redo-dismiss"),
                align="center", spacing="3", width="100%",
            )),
            rx.fragment(),
        ),
    )


def version(label: str, image_url: rx.Var[str], text: rx.Var[str], kind: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.badge(label, color_scheme=BRAND_COLOR if kind == "new" else "gray", size="2"),
            rx.image(src=image_url, alt=label, width="100%", max_height="55vh", object_fit="contain",
                     id=f"redo-{kind}-image"),
            rx.text(text, size="3", id=f"redo-{kind}-text"),
            spacing="2", align="center",
        ),
        width="100%",
    )


def decision(current: PageRow) -> rx.Component:
    """The new version beside the old one, and the two choices."""
    return rx.vstack(
        rx.text("Here is the new version of page " + current.number.to_string()  # type: ignore[attr-defined]  # a state field is a Var here; Reflex types it as its value
                + " beside the old one. Which should the book keep?", size="3"),
        rx.grid(
            version("New version", current.image_url, current.text, "new"),  # type: ignore[arg-type]  # a state field is a Var here; Reflex types it as its value
            version("Old version", current.previous_image_url, current.previous_text, "old"),  # type: ignore[arg-type]  # a state field is a Var here; Reflex types it as its value
            columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%",
        ),
        rx.hstack(
            rx.button("Keep new", on_click=RedoFormState.keep_version("new"), loading=RedoFormState.deciding, size="3",  # type: ignore[operator]  # Reflex types an @rx.event handler as EventNamespace
                      color_scheme="grass", id="keep-new"),
            rx.button("Keep old", on_click=RedoFormState.keep_version("old"), disabled=RedoFormState.deciding, size="3",  # type: ignore[operator]  # Reflex types an @rx.event handler as EventNamespace
                      variant="soft", color_scheme="gray", id="keep-old"),
            spacing="3",
        ),
        spacing="3", width="100%", align="center", id="redo-decision",
    )
