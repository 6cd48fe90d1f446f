"""The frame every page shares: a header with the navigation, the page, a footer.

The navigation lists only registered pages, and only those that apply to the viewer: guests
see sign-in and registration, members their books, operators the settings too.
"""

from __future__ import annotations

import reflex as rx

from bookbug.components.clerk import clerk_session
from bookbug.components.registry import PageSpec, nav_entries
from bookbug.components.theme import BRAND_COLOR as BRAND_COLOR  # the pages take it from the layout
from bookbug.settings import get_settings
from bookbug.state.auth import AuthState
from bookbug.state.session import SessionState


def nav_link(label: str, route: str) -> rx.Component:
    return rx.link(label, href=route, size="3", weight="medium", color_scheme="gray",
                   high_contrast=True, underline="hover", id=f"nav-{route.strip('/') or 'home'}")


def for_viewer(spec: PageSpec, link: rx.Component) -> rx.Component:
    """`link`, shown only to the viewers `spec` is for."""
    if spec.operators_only:
        return rx.cond(SessionState.viewer_is_operator, link)
    if spec.members_only:
        return rx.cond(SessionState.signed_in, link)
    if spec.guests_only:
        return rx.cond(SessionState.signed_in, rx.fragment(), link)
    return link


def visible_link(spec: PageSpec) -> rx.Component:
    return for_viewer(spec, nav_link(spec.nav_label or spec.title, spec.route))


def viewer_menu() -> rx.Component:
    return rx.cond(
        SessionState.signed_in,
        rx.hstack(
            # the address is long: shown only where the bar has room for it
            rx.text(SessionState.viewer_email, size="2", color_scheme="gray", id="viewer-email",
                    display=rx.breakpoints(initial="none", lg="block")),
            rx.button(rx.icon("log_out", size=16, aria_hidden="true"), "Sign out", on_click=AuthState.sign_out,
                      size="2", variant="soft", color_scheme="gray", id="sign-out"),
            spacing="3", align="center",
        ),
    )


CLOSE_MENU = "document.getElementById('compact-menu')?.removeAttribute('open')"


def menu_item(spec: PageSpec) -> rx.Component:
    item = rx.link(spec.nav_label or spec.title, href=spec.route, underline="none", color_scheme="gray",
                   high_contrast=True, size="3", class_name="nav-menu-item",
                   id=f"menu-{spec.route.strip('/') or 'home'}", on_click=rx.call_script(CLOSE_MENU))
    return for_viewer(spec, item)


def compact_menu(specs: list[PageSpec]) -> rx.Component:
    """The navigation behind a menu button, for screens too narrow for the bar.

    A native disclosure (<details>): it opens with a tap, Enter or Space, with no script to fail.
    """
    return rx.el.details(
        rx.el.summary(rx.icon("menu", size=22, aria_hidden="true"), rx.el.span("Menu", class_name="visually-hidden"),
                      id="menu-button"),
        rx.el.nav(
            rx.cond(SessionState.signed_in,
                    rx.text(SessionState.viewer_email, size="2", color_scheme="gray", padding="0.5rem 0.75rem",
                            id="menu-viewer-email")),
            *[menu_item(spec) for spec in specs],
            rx.cond(SessionState.signed_in,
                    rx.button(rx.icon("log_out", size=16, aria_hidden="true"), "Sign out",
                              on_click=[rx.call_script(CLOSE_MENU), AuthState.sign_out], variant="soft",
                              color_scheme="gray", size="3", margin_top="0.5rem", id="menu-sign-out")),
            aria_label="Menu", id="menu-content", class_name="menu-panel",
        ),
        id="compact-menu", class_name="compact-menu",
    )


def logo() -> rx.Component:
    # the ladybug is an SVG shipped with the app: it shows without an emoji font
    return rx.link(
        rx.hstack(rx.image(src="/logo.svg", alt="", width="32px", height="32px"),
                  rx.text("Bookbug", size="6", weight="bold", as_="span"), align="center", spacing="2"),
        href="/", underline="none", color_scheme="gray", high_contrast=True, aria_label="Bookbug, home",
        id="logo",
    )


def navbar() -> rx.Component:
    specs = [spec for spec in nav_entries() if spec.route != "/"]
    wide = rx.breakpoints(initial="none", md="flex")
    return rx.el.header(
        rx.link("Skip to the content", href="#content", class_name="skip-link"),
        rx.hstack(
            logo(),
            rx.spacer(),
            rx.el.nav(rx.hstack(*[visible_link(spec) for spec in specs], spacing="5", align="center"),
                      aria_label="Main", id="main-nav", display=wide),
            rx.box(viewer_menu(), display=wide),
            rx.box(compact_menu(specs), display=rx.breakpoints(initial="block", md="none"), id="compact-nav"),
            align="center",
            spacing="5",
            width="100%",
            max_width="72rem",
            margin_x="auto",
            padding_x=rx.breakpoints(initial="1rem", sm="1.5rem"),
            padding_y="0.75rem",
        ),
        border_bottom="1px solid var(--gray-a5)",
        background="var(--color-background)",
        position="sticky",
        top="0",
        z_index="10",
    )


def footer() -> rx.Component:
    return rx.el.footer(
        rx.text("Bookbug is open source. Every book belongs to the family that made it.",
                size="2", color_scheme="gray"),
        padding=rx.breakpoints(initial="2rem 1rem", sm="2rem 1.5rem"), max_width="72rem",
        margin_x="auto",
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
        rx.el.main(*children, id="content", tab_index=-1, max_width="72rem", margin_x="auto",
               padding=rx.breakpoints(initial="1.25rem 1rem", sm="2rem 1.5rem"), min_height="70vh"),
        footer(),
    )


def not_found_notice() -> rx.Component:
    """Shown for a book that does not exist and for someone else's: the same words for both."""
    return rx.callout("That book was not found.", icon="circle_alert", color_scheme="gray", id="not-found")
