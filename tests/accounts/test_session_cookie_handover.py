"""How a checked sign-in becomes an HttpOnly cookie: a one-time ticket that lives a minute,
and the session key the web app's socket carries instead of the token."""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import select

from bookbug.db.accounts import SignInTicket, UserSession
from bookbug.db.session import session_scope
from bookbug.providers.auth.api_tokens import user_for_api_token
from bookbug.providers.auth.sessions import session_key, user_for_session, user_for_session_key
from bookbug.services.accounts.sessions import end_session
from bookbug.services.accounts.sign_in import sign_in
from bookbug.services.accounts.tickets import issue_ticket, redeem_ticket


def test_a_ticket_opens_one_session_once(db: str, make_user) -> None:
    user = make_user("ada@example.com")
    ticket = issue_ticket(user.id, db_url=db)
    signed = redeem_ticket(ticket, user_agent="Firefox", db_url=db)
    assert signed is not None and signed.user.id == user.id
    assert user_for_session(signed.token, db_url=db).id == user.id
    assert redeem_ticket(ticket, db_url=db) is None


def test_a_ticket_sent_many_times_at_once_opens_one_session(db: str, make_user) -> None:
    user = make_user("ada@example.com")
    ticket = issue_ticket(user.id, db_url=db)
    with ThreadPoolExecutor(max_workers=6) as pool:
        opened = [s for s in pool.map(lambda _: redeem_ticket(ticket, db_url=db), range(12)) if s]
    assert len(opened) == 1
    with session_scope(db) as session:
        assert len(session.exec(select(UserSession)).all()) == 1


def test_a_ticket_lives_a_minute_and_only_its_hash_is_kept(db: str, make_user, clock) -> None:
    user = make_user("ada@example.com")
    ticket = issue_ticket(user.id, db_url=db)
    with session_scope(db) as session:
        stored = session.exec(select(SignInTicket)).one()
    assert stored.ticket_hash == hashlib.sha256(ticket.encode()).hexdigest() and ticket not in repr(stored)
    clock.advance(seconds=61)
    assert redeem_ticket(ticket, db_url=db) is None


def test_made_up_tickets_open_nothing(db: str, make_user) -> None:
    make_user("ada@example.com")
    for ticket in ("", "bbt_made-up", "bbs_" + "x" * 40, "bbt_" + "y" * 500):
        assert redeem_ticket(ticket, db_url=db) is None


def test_the_session_key_finds_the_session_but_is_no_token(db: str, make_user) -> None:
    make_user("ada@example.com")
    signed = sign_in("ada@example.com", "correct horse battery", db_url=db)
    key = session_key(signed.token)
    assert user_for_session_key(key, db_url=db).id == signed.user.id
    assert user_for_session(key, db_url=db) is None  # no door takes the key as a credential
    assert user_for_api_token(key, db_url=db) is None
    end_session(key, db_url=db)
    assert user_for_session(signed.token, db_url=db) is None
    assert user_for_session_key("not-a-key", db_url=db) is None
