"""The frame every page shares: a header with the navigation, the page, a footer.

The navigation lists only registered pages, and only those that apply to the viewer: guests
see sign-in and registration, members their books, operators the settings too.
"""

from __future__ import annotations

import reflex as rx

from bookbug.components.clerk import clerk_session
from bookbug.pages.registry import PageSpec, nav_entries
from bookbug.settings import get_settings
from bookbug.state.auth import AuthState
from bookbug.state.session import SessionState

BRAND_COLOR = "tomato"


def nav_link(label: str, route: str) -> rx.Component:
    return rx.link(label, href=route, size="3", weight="medium", color_scheme="gray",
                   high_contrast=True, underline="hover", id=f"nav-{route.strip('/') or 'home'}")


def visible_link(spec: PageSpec) -> rx.Component:
    link = nav_link(spec.nav_label or spec.title, spec.route)
    if spec.operators_only:
        return rx.cond(SessionState.viewer_is_operator, link)
    if spec.members_only:
        return rx.cond(SessionState.signed_in, link)
    if spec.guests_only:
        return rx.cond(SessionState.signed_in, rx.fragment(), link)
    return link


def viewer_menu() -> rx.Component:
    return rx.cond(
        SessionState.signed_in,
        rx.hstack(
            rx.text(SessionState.viewer_email, size="2", color_scheme="gray", id="viewer-email"),
            rx.button("Sign out", on_click=AuthState.sign_out, size="1", variant="soft", color_scheme="gray",
                      id="sign-out"),
            spacing="3", align="center",
        ),
    )


def navbar() -> rx.Component:
    links = [visible_link(spec) for spec in nav_entries() if spec.route != "/"]
    return rx.box(
        rx.hstack(
            rx.link(
                rx.hstack(rx.text("🐞", size="6"), rx.heading("Bookbug", size="6", weight="bold"),
                          align="center", spacing="2"),
                href="/", underline="none", color_scheme="gray", high_contrast=True,
            ),
            rx.spacer(),
            rx.hstack(*links, spacing="5", align="center", id="main-nav"),
            viewer_menu(),
            align="center",
            spacing="5",
            width="100%",
            max_width="72rem",
            margin_x="auto",
            padding_x="1.5rem",
            padding_y="0.9rem",
        ),
        as_="header",
        border_bottom="1px solid var(--gray-a5)",
        background="var(--color-background)",
        position="sticky",
        top="0",
        z_index="10",
    )


def footer() -> rx.Component:
    return rx.box(
        rx.text("Bookbug is open source. Every book belongs to the family that made it.",
                size="2", color_scheme="gray"),
        as_="footer", padding="2rem 1.5rem", max_width="72rem", margin_x="auto",
    )


def hydration_marker() -> rx.Component:
    """Present once the page is connected to its state: before that a form would submit natively."""
    return rx.cond(SessionState.is_hydrated, rx.box(id="hydrated", display="none"))


def clerk_watcher() -> rx.Component:
    """With Clerk on, every page re-presents Clerk's session to the server (see state/clerk_auth.py)."""
    if not get_settings().clerk_enabled:
        return rx.fragment()
    return clerk_session()


def page_layout(*children: rx.Component, watch_clerk: bool = True) -> rx.Component:
    """The page frame; pages that mount Clerk's own form pass watch_clerk=False (the form watches)."""
    return rx.box(
        hydration_marker(),
        clerk_watcher() if watch_clerk else rx.fragment(),
        navbar(),
        rx.box(*children, as_="main", max_width="72rem", margin_x="auto", padding="2rem 1.5rem",
               min_height="70vh"),
        footer(),
    )


def not_found_notice() -> rx.Component:
    """Shown for a book that does not exist and for someone else's: the same words for both."""
    return rx.callout("That book was not found.", icon="circle_alert", color_scheme="gray", id="not-found")
