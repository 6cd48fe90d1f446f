"""The conversation's pieces: bubbles, chips, the composer, the brief panel, the plot outline."""

from __future__ import annotations

import reflex as rx

from bookbug.services.books import MAX_MESSAGE_CHARS
from bookbug.state.chat import ChatState
from bookbug.state.rows import BriefRow, MessageRow, OutlineRow


def bubble(message: MessageRow) -> rx.Component:
    mine = message.role == "user"
    # rx.text renders the content as text: HTML or script typed by a user stays visible text.
    return rx.hstack(
        rx.box(
            rx.text(message.content, size="3", white_space="pre-wrap", class_name="bubble-text"),
            background=rx.cond(mine, "var(--accent-11)", "var(--gray-3)"),
            color=rx.cond(mine, "white", "var(--gray-12)"),
            padding="0.7rem 1rem",
            border_radius="1rem",
            max_width=rx.breakpoints(initial="88%", sm="80%"),
            class_name=rx.cond(mine, "bubble bubble-user", "bubble bubble-assistant"),
        ),
        justify=rx.cond(mine, "end", "start"),
        width="100%",
    )


def chip_button(chip: str) -> rx.Component:
    return rx.button(chip, on_click=ChatState.choose_chip(chip), variant="outline", radius="full", size="2",  # type: ignore[operator]  # Reflex types an @rx.event handler as EventNamespace
                     disabled=~ChatState.can_send, class_name="chip")


def thinking_indicator() -> rx.Component:
    return rx.cond(
        ChatState.thinking,
        rx.hstack(rx.spinner(size="2"), rx.text("Bookbug is thinking…", size="2", color_scheme="gray"),
                  id="thinking", align="center", role="status"),
    )


def composer() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text_area(
                name="message", value=ChatState.draft, on_change=ChatState.set_draft,
                placeholder=rx.cond(ChatState.in_plot_review, "Ask for changes to the plot…",
                                    "Type your answer…"),
                rows="3", width="100%", id="chat-input",
                aria_label=rx.cond(ChatState.in_plot_review, "Changes to the plot", "Your answer"),
            ),
            rx.hstack(
                rx.text(ChatState.draft_length.to_string() + f" / {MAX_MESSAGE_CHARS:,}", size="1",
                        color_scheme=rx.cond(ChatState.draft_length > MAX_MESSAGE_CHARS, "red", "gray")),
                rx.spacer(),
                rx.button(rx.cond(ChatState.in_plot_review, "Ask for changes", "Send"), type="submit",
                          disabled=~ChatState.can_send, loading=ChatState.sending, id="chat-send"),
                width="100%", align="center",
            ),
            rx.cond(ChatState.notice != "",
                    rx.callout(ChatState.notice, icon="info", color_scheme="amber", size="1", id="chat-notice")),
            width="100%",
        ),
        on_submit=ChatState.send_draft,
        reset_on_submit=False,
        width="100%",
    )


def brief_row(row: BriefRow) -> rx.Component:
    return rx.hstack(
        rx.text(row.label, size="2", weight="bold", min_width="6.5rem", flex_shrink="0"),
        rx.cond(row.value != "", rx.text(row.value, size="2"), rx.text("not yet", size="2", color_scheme="gray")),
        align="start", width="100%",
    )


def brief_panel() -> rx.Component:
    """Beside the conversation on wide screens."""
    return rx.card(
        rx.vstack(rx.heading("The book so far", size="4", as_="h2"), rx.foreach(ChatState.brief, brief_row),
                  spacing="2", width="100%"),
        id="brief-panel", width="100%",
    )


def brief_disclosure() -> rx.Component:
    """On phones: the brief folded into one line above the conversation, opened on demand."""
    return rx.el.details(
        rx.el.summary(rx.icon("chevron_right", size=18, class_name="brief-chevron", aria_hidden="true"),
                      "The book so far"),
        rx.vstack(rx.foreach(ChatState.brief, brief_row), spacing="2", width="100%", padding="0.5rem 0.25rem"),
        class_name="brief-compact", id="brief-compact",
        border="1px solid var(--gray-a5)", border_radius="var(--radius-3)", padding_x="0.75rem",
    )


def outline_row(row: OutlineRow) -> rx.Component:
    return rx.flex(rx.badge(row.page, variant="soft", min_width="5.5rem", width="fit-content"),
                   rx.text(row.sentence, size="2"), direction=rx.breakpoints(initial="column", sm="row"),
                   gap="2", align="start", width="100%")


def plot_review() -> rx.Component:
    return rx.cond(
        ChatState.in_plot_review,
        rx.card(
            rx.vstack(
                rx.heading(rx.cond(ChatState.plot_name != "", ChatState.plot_name, "The plot"), size="5", as_="h2"),
                rx.text("Here is the story, page by page. Approve it, or ask for changes below.", size="2",
                        color_scheme="gray"),
                rx.foreach(ChatState.outline, outline_row),
                rx.button("Approve", on_click=ChatState.approve_plot, disabled=~ChatState.can_send,
                          loading=ChatState.sending, size="3", color_scheme="grass", id="approve-plot"),
                spacing="3", width="100%",
            ),
            id="plot-review", width="100%",
        ),
    )
