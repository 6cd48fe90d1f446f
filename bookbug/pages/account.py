"""`/account`: personal API tokens, open sessions, and your data (download it, or delete it all)."""

from __future__ import annotations

import reflex as rx

from bookbug.components.layout import page_layout
from bookbug.components.tables import scrolling_table
from bookbug.components.registry import page
from bookbug.state.account import AccountState
from bookbug.state.rows import ExportRow, SessionRow, TokenRow


def token_row(token: TokenRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(token.name), rx.table.cell(rx.code(token.prefix + "…")), rx.table.cell(token.created),
        rx.table.cell(token.last_used), rx.table.cell(token.expires),
        rx.table.cell(rx.button("Revoke", on_click=AccountState.revoke_token(token.id), size="1", color_scheme="red",  # type: ignore[operator]  # Reflex types an @rx.event handler as EventNamespace
                                variant="soft")),
    )


def session_row(session: SessionRow) -> rx.Component:
    return rx.table.row(rx.table.cell(session.device), rx.table.cell(session.created),
                        rx.table.cell(session.last_seen))


def tokens() -> rx.Component:
    return rx.vstack(
        rx.heading("API tokens", size="5"),
        rx.text("Tokens let the command-line client and scripts use your account.", color_scheme="gray"),
        rx.form(
            rx.hstack(rx.input(name="name", placeholder="Token name, e.g. laptop", required=True,
                               aria_label="Token name"),
                      rx.button("Create token", type="submit", id="create-token")),
            on_submit=AccountState.create_token, reset_on_submit=True,
        ),
        rx.cond(AccountState.notice != "", rx.callout(AccountState.notice, icon="info", color_scheme="amber")),
        rx.cond(
            AccountState.new_token_name != "",
            rx.callout(
                rx.vstack(rx.text("Copy your new token now; it will not be shown again:"),
                          rx.code("", id="new-token")),  # filled in by the page, never from state
                icon="key", color_scheme="grass",
            ),
        ),
        scrolling_table(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                               ("Name", "Token", "Created", "Last used", "Expires", "")])),
                rx.table.body(rx.foreach(AccountState.tokens, token_row)),
                width="100%",
            ),
            "Your API tokens",
        ),
        spacing="3", width="100%",
    )


def sessions() -> rx.Component:
    return rx.vstack(
        rx.heading("Where you are signed in", size="5"),
        scrolling_table(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                               ("Device", "Since", "Last seen")])),
                rx.table.body(rx.foreach(AccountState.sessions, session_row)),
                width="100%",
            ),
            "Where you are signed in",
        ),
        rx.button("Sign out everywhere", on_click=AccountState.sign_out_everywhere, color_scheme="red",
                  variant="soft", id="sign-out-everywhere"),
        spacing="3", width="100%",
    )


def export_row(row: ExportRow) -> rx.Component:
    return rx.hstack(
        rx.text(row.created, color_scheme="gray"),
        rx.match(
            row.status,
            ("ready", rx.link(rx.button("Download", size="1"), href=row.download_url, is_external=True)),
            ("failed", rx.text(row.error, color_scheme="red")),
            rx.hstack(rx.text("Preparing…"), rx.progress(value=row.percent, width="8em")),
        ),
        rx.text(row.size, color_scheme="gray"),
        spacing="3", align="center",
    )


def your_data() -> rx.Component:
    return rx.vstack(
        rx.heading("Your data", size="5"),
        rx.text("A zip of every book (PDFs, pictures and words), your conversations with Bookbug and your "
                "account. Ready zips can be downloaded for 7 days.", color_scheme="gray"),
        rx.button("Download my data", on_click=AccountState.start_export, disabled=AccountState.preparing,
                  id="download-my-data"),
        rx.foreach(AccountState.exports, export_row),
        rx.cond(AccountState.data_notice != "", rx.callout(AccountState.data_notice, icon="info")),
        rx.heading("Delete my account", size="4"),
        rx.text("Deletes your account and every book, conversation, picture and PDF in it, for good. You are "
                "signed out everywhere at once.", color_scheme="gray"),
        rx.form(
            rx.hstack(rx.input(name="confirm", placeholder='Type "delete my account"', required=True,
                               aria_label="Type delete my account to confirm"),
                      rx.button("Delete my account", type="submit", color_scheme="red", id="delete-account")),
            on_submit=AccountState.delete_account, reset_on_submit=True,
        ),
        spacing="3", width="100%",
    )


@page("/account", "Account · Bookbug", nav_label="Account", members_only=True, on_load=AccountState.load_account)
def account() -> rx.Component:
    return page_layout(rx.vstack(rx.heading("Account", size="7"), tokens(), rx.divider(), sessions(), rx.divider(),
                                 your_data(), spacing="6", width="100%"))
