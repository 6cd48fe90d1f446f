"""Book pieces shared by the gallery and the book page: status badges, progress, covers."""

from __future__ import annotations

import reflex as rx

from bookbug.state.rows import BookCard

STATUS_COLORS = {
    "draft": "gray", "intake": "blue", "plot": "violet", "generating": "amber", "complete": "grass",
    "failed": "red", "cancelled": "gray", "abandoned": "gray",
}
STATUS_WORDS = {
    "draft": "New", "intake": "Talking", "plot": "Plot review", "generating": "Being made",
    "complete": "Ready", "failed": "Failed", "cancelled": "Cancelled", "abandoned": "Paused",
}


def status_badge(status: rx.Var[str]) -> rx.Component:
    return rx.match(
        status,
        *[(name, rx.badge(STATUS_WORDS[name], color_scheme=color, class_name="status-badge"))
          for name, color in STATUS_COLORS.items()],
        rx.badge(status, class_name="status-badge"),
    )


# covers of the first row load at once (they are the gallery's largest paint); the rest as they scroll in
EAGER_COVERS = 4


def cover(url: rx.Var[str], title: rx.Var[str], index: rx.Var[int] | int = 0) -> rx.Component:
    return rx.cond(
        url != "",
        rx.image(src=url, alt="Cover of " + title, width="100%", height="12rem", object_fit="cover",  # type: ignore[operator]  # a state field is a Var here; Reflex types it as its value
                 border_radius="0.5rem", loading=rx.cond(index < EAGER_COVERS, "eager", "lazy")),  # type: ignore[operator]  # a state field is a Var here; Reflex types it as its value
        rx.center(rx.icon("book_open", size=56, color="var(--accent-11)", aria_hidden="true"), width="100%",
                  height="12rem", background="var(--accent-3)", border_radius="0.5rem"),
    )


def book_card(card: BookCard, index: rx.Var[int] | int = 0) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                cover(card.cover_url, card.title, index),  # type: ignore[arg-type]  # a state field is a Var here; Reflex types it as its value
                rx.text(card.title, weight="bold", size="3"),
                rx.hstack(status_badge(card.status), rx.text(card.created, size="1", color_scheme="gray"),  # type: ignore[arg-type]  # a state field is a Var here; Reflex types it as its value
                          align="center"),
                rx.cond(card.status == "generating",
                        rx.vstack(rx.progress(value=card.percent, max=100, width="100%", aria_label="Progress"),
                                  rx.text(card.percent.to_string() + "%", size="1", color_scheme="gray"),  # type: ignore[attr-defined]  # a state field is a Var here; Reflex types it as its value
                                  width="100%", spacing="1", class_name="card-progress")),
                spacing="2", width="100%",
            ),
            width="100%",
        ),
        href=card.href, underline="none", class_name="book-card", id="book-" + card.id,
    )
