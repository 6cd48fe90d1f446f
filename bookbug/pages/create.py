"""`/create` starts a book; `/create/[book_id]` is its conversation and plot review."""

from __future__ import annotations

import reflex as rx

from bookbug.components.chat import (brief_disclosure, brief_panel, bubble, chip_button, composer, plot_review,
                                     thinking_indicator)
from bookbug.components.layout import page_layout, not_found_notice
from bookbug.components.registry import page
from bookbug.state.chat import ChatState


@page("/create", "Start a book · Bookbug", nav_label="Create", members_only=True, on_load=ChatState.start_book)
def start() -> rx.Component:
    return page_layout(
        rx.center(
            rx.cond(
                ChatState.notice != "",
                rx.callout(ChatState.notice, icon="info", color_scheme="amber", id="create-notice"),
                rx.hstack(rx.spinner(), rx.text("Opening a new book…")),
            ),
            padding_y="4rem",
        )
    )


def conversation() -> rx.Component:
    return rx.vstack(
        # a live region: screen readers read Bookbug's new questions as they arrive
        rx.vstack(rx.foreach(ChatState.messages, bubble), spacing="3", width="100%", id="chat-log", role="log",
                  aria_live="polite", aria_label="Conversation with Bookbug"),
        thinking_indicator(),
        plot_review(),
        rx.cond(ChatState.chips.length() > 0,
                rx.flex(rx.foreach(ChatState.chips, chip_button), wrap="wrap", gap="2", id="chips", role="group",
                        aria_label="Quick replies")),
        rx.cond(ChatState.talking, composer(),
                rx.link(rx.button("See your book", size="3"), href="/books/" + ChatState.chat_book_id)),
        spacing="4", width="100%",
    )


@page("/create/[book_id]", "Your book's conversation · Bookbug", on_load=ChatState.load_conversation)
def chat() -> rx.Component:
    return page_layout(
        rx.cond(
            ChatState.not_found,
            not_found_notice(),
            rx.vstack(
                rx.heading("Your book's conversation", size="6", as_="h1"),
                rx.box(brief_disclosure(), display=rx.breakpoints(initial="block", md="none"), width="100%"),
                rx.grid(
                    rx.box(conversation(), grid_column=rx.breakpoints(initial="span 1", md="span 2"), min_width="0"),
                    rx.box(brief_panel(), display=rx.breakpoints(initial="none", md="block")),
                    columns=rx.breakpoints(initial="1", md="3"), spacing="6", width="100%",
                ),
                spacing="4", width="100%",
            ),
        )
    )
