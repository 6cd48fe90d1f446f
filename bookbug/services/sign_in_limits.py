"""Limits on password guessing, shared by every door (the web form, the REST API, the CLI).

Guesses are counted per (e-mail, client address) pair, with a growing wait between them once
a few have failed: someone guessing at an account slows only themselves, and cannot lock its
owner out from the owner's own address. Each address also has a ceiling across all e-mails,
so one address cannot guess at many accounts at once.

Attempts are rows in the database (`SignInAttempt`), not counters in one process's memory,
so every app process, with or without Redis, counts the same guesses; the database is also
what embedded mode already has. An attempt is recorded *before* its password is checked and
then counted with the others, so the k-th attempt to be committed always sees at least k
rows: guesses sent in parallel cannot slip past the limit together.

A successful sign-in deletes its own row and takes its e-mail off the earlier rows of its own
pair, which then keep counting for the address they came from: signing in to one's own account
does not give back a budget spent guessing someone else's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, update
from sqlmodel import Session, col, delete, select

from bookbug.db.accounts import SignInAttempt
from bookbug.db.session import session_scope


@dataclass(frozen=True)
class Limit:
    attempts: int
    window: timedelta


@dataclass(frozen=True)
class Backoff:
    """Per (e-mail, address): `free` attempts at once, then each waits `first`, doubling up to
    `longest`, after the pair's latest one; attempts older than `window` are forgotten."""

    free: int
    first: timedelta
    longest: timedelta
    window: timedelta

    def wait_after(self, earlier: int) -> timedelta:
        """How long after the latest of `earlier` attempts the next one may be made."""
        if earlier < self.free:
            return timedelta(0)
        return min(self.longest, self.first * 2 ** (earlier - self.free))


PER_PAIR = Backoff(free=3, first=timedelta(seconds=5), longest=timedelta(minutes=15), window=timedelta(hours=1))
# A ceiling per address across e-mails; wide, since one address may be a whole household,
# school or office (or a proxy).
PER_CLIENT = Limit(50, timedelta(minutes=15))
_KEEP = max(PER_PAIR.window, PER_CLIENT.window)  # older rows count for nothing


@dataclass(frozen=True)
class Attempt:
    """A recorded attempt, allowed to check its password."""

    id: str
    email_key: str | None
    client: str


@dataclass(frozen=True)
class Refused:
    """Too many recent failures: `by_client` says which limit, `retry_after` is in seconds."""

    by_client: bool
    retry_after: float


def email_key(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()


def start(email: str | None, client: str, *, now: datetime, db_url: str | None = None) -> Attempt | Refused:
    """Record one attempt for `email` (normalised; None when it is no e-mail address at all)
    from `client` ("" when the door does not know it), or refuse it without recording it:
    a refused attempt checks no password, and counting it would only push the wait further."""
    key = email_key(email) if email else None
    client = (client or "")[:100]
    with session_scope(db_url) as session:
        session.exec(delete(SignInAttempt).where(col(SignInAttempt.created_at) < now - _KEEP))
        row = SignInAttempt(email_key=key, client=client, created_at=now)
        session.add(row)
    with session_scope(db_url) as session:
        refusal = None
        if key is not None:
            refusal = _too_soon(session, row.id, key, client, now)
        if refusal is None and client:
            refusal = _over(session, row.id, col(SignInAttempt.client) == client, PER_CLIENT, now, by_client=True)
        if refusal is not None:
            session.exec(delete(SignInAttempt).where(col(SignInAttempt.id) == row.id))
            return refusal
    return Attempt(id=row.id, email_key=key, client=client)


def _too_soon(session: Session, own_id: str, key: str, client: str, now: datetime) -> Refused | None:
    times = session.exec(
        select(SignInAttempt.created_at).where(
            col(SignInAttempt.email_key) == key, col(SignInAttempt.client) == client,
            col(SignInAttempt.created_at) > now - PER_PAIR.window, col(SignInAttempt.id) != own_id)
    ).all()
    wait = PER_PAIR.wait_after(len(times))
    if not wait:
        return None
    free_at = max(_aware(moment, now) for moment in times) + wait
    if free_at <= now:
        return None
    return Refused(by_client=False, retry_after=max(1.0, (free_at - now).total_seconds()))


def _over(session: Session, own_id: str, where: ColumnElement[bool], limit: Limit, now: datetime, *,
          by_client: bool) -> Refused | None:
    times = session.exec(
        select(SignInAttempt.created_at).where(where, col(SignInAttempt.created_at) > now - limit.window,
                                               col(SignInAttempt.id) != own_id)
        .order_by(col(SignInAttempt.created_at))
    ).all()
    if len(times) < limit.attempts:
        return None
    # allowed again once fewer than `limit.attempts` of the others are inside the window
    freed_at = _aware(times[len(times) - limit.attempts], now) + limit.window
    return Refused(by_client=by_client, retry_after=max(1.0, (freed_at - now).total_seconds()))


def succeeded(attempt: Attempt, *, db_url: str | None = None) -> None:
    """The password was right: forget this attempt and the pair's earlier failures (which still
    count for their address); other addresses' guesses at this e-mail keep slowing them down."""
    with session_scope(db_url) as session:
        session.exec(delete(SignInAttempt).where(col(SignInAttempt.id) == attempt.id))
        if attempt.email_key is not None:
            session.exec(update(SignInAttempt).where(col(SignInAttempt.email_key) == attempt.email_key,
                                                     col(SignInAttempt.client) == attempt.client)
                         .values(email_key=None))


def _aware(value: datetime, like: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were written in UTC like `like`
    return value if value.tzinfo is not None else value.replace(tzinfo=like.tzinfo)
