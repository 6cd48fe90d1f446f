"""The reader's share panel: a link anyone can read the book with, and the links made so far."""

from __future__ import annotations

import reflex as rx

from bookbug.state.book import BookState
from bookbug.state.sharing import EXPIRY_CHOICES, ShareRow, ShareState


def share_button() -> rx.Component:
    return rx.button("Share…", on_click=ShareState.toggle_share, variant="soft", size="3", id="share-open")


def _row(row: ShareRow) -> rx.Component:
    return rx.hstack(
        rx.text("Made " + row.made, size="2"),
        rx.text("expires " + row.expires, size="2", color_scheme="gray"),
        rx.cond(row.expired, rx.badge("expired", color_scheme="gray")),
        rx.spacer(),
        rx.button("Revoke", on_click=ShareState.revoke_link(row.id), size="1", color_scheme="red", variant="soft",  # type: ignore[operator]  # Reflex types an @rx.event handler as EventNamespace
                  class_name="share-revoke"),
        width="100%", align="center", class_name="share-row",
    )


def share_panel() -> rx.Component:
    return rx.cond(
        ShareState.share_open & (ShareState.panel_book == BookState.view_book_id),
        rx.card(
            rx.vstack(
                rx.text("Anyone with a link can read this book and download its PDF, without an account. "
                        "They cannot chat, change or see anything else.", size="2"),
                rx.hstack(
                    rx.text("Link lasts", size="2"),
                    rx.select(list(EXPIRY_CHOICES), value=ShareState.share_expiry,
                              on_change=ShareState.set_share_expiry, id="share-expiry"),
                    rx.button("Make a link", on_click=ShareState.make_link, loading=ShareState.share_busy,
                              id="share-make"),
                    align="center", spacing="3", wrap="wrap",
                ),
                rx.cond(
                    ShareState.new_link != "",
                    rx.vstack(
                        rx.text("Your new link (shown only now):", size="2", weight="bold"),
                        rx.hstack(
                            rx.input(value=ShareState.new_link, read_only=True, width="100%", id="share-link"),
                            rx.button("Copy", on_click=rx.set_clipboard(ShareState.new_link), variant="soft"),
                            width="100%",
                        ),
                        width="100%",
                    ),
                ),
                rx.cond(ShareState.share_notice != "", rx.text(ShareState.share_notice, size="2", id="share-notice")),
                rx.foreach(ShareState.shares, _row),
                spacing="3", width="100%",
            ),
            width="100%", id="share-panel",
        ),
    )
