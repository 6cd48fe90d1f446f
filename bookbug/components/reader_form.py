"""The card a reader's form opens in (redo a page, edit its words): its fields, then the
submit button beside Cancel."""

from __future__ import annotations

from typing import Any

import reflex as rx


def reader_form(shown: Any, *fields: rx.Component, submit: rx.Component, on_submit: Any, on_cancel: Any,
                name: str) -> rx.Component:
    """The form `name` (ids `{name}-form`, `{name}-cancel`) while `shown`."""
    return rx.cond(
        shown,
        rx.card(
            rx.form(
                rx.vstack(
                    *fields,
                    rx.hstack(
                        submit,
                        rx.button("Cancel", type="button", on_click=on_cancel, variant="soft",
                                  color_scheme="gray", id=f"{name}-cancel"),
                        spacing="3",
                    ),
                    width="100%", spacing="3",
                ),
                on_submit=on_submit,
                reset_on_submit=False,
                width="100%",
            ),
            width="100%", id=f"{name}-form",
        ),
    )
