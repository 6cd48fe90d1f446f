"""Accounts: local registration and sign-in, browser sessions, personal API tokens, Clerk users.

Every function opens its own transaction on `db_url` (default: the settings' database), so a
page, a REST route or a test calls it the same way. Failures the user can fix raise an
`AccountError` whose `message` is a sentence fit to show them (and `field` names the input at
fault), so the edges only translate, never reword.

Secrets are never stored: passwords as argon2 hashes, session and API tokens as SHA-256
hashes of 256 random bits (a fast hash is enough for values nobody can guess, and it lets a
token be found by an indexed equality lookup).
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, func, select

from bookbug.db.accounts import ApiToken, SignInTicket, User, UserSession
from bookbug.db.app_settings import AppSetting
from bookbug.db.session import session_scope, utcnow
from bookbug.services import sign_in_limits, slots
from bookbug.safety import text_rules
from bookbug.settings import Settings, get_settings

log = logging.getLogger(__name__)

OPERATOR = "operator"
USER = "user"

SESSION_LIFETIME = timedelta(days=30)
# Sliding expiry writes at most this often per session, not on every request.
SESSION_TOUCH_EVERY = timedelta(minutes=5)
TOKEN_TOUCH_EVERY = timedelta(minutes=1)

REGISTRATIONS = "register"  # the limit kind of registrations per address (services/slots.py)

SESSION_TOKEN_PREFIX = "bbs_"
API_TOKEN_PREFIX = "bb_"
_API_DISPLAY_CHARS = 6  # random characters kept after the prefix so a user can tell tokens apart

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000  # argon2 copes, but nobody needs more and it bounds the work
MAX_EMAIL_LENGTH = 320
MAX_NAME_LENGTH = 200
CLERK_PLACEHOLDER_DOMAIN = "users.clerk.invalid"  # .invalid can never be a real mailbox

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")

# Frequent passwords of 10+ characters (shorter ones already fail the length rule).
_COMMON_PASSWORDS = frozenset({
    "1234567890", "0987654321", "12345678910", "123456789a", "a123456789", "1q2w3e4r5t",
    "1qaz2wsx3edc", "qwertyuiop", "qwerty1234", "qwerty12345", "qwerty123456", "asdfghjkl;",
    "asdfghjkl1", "zxcvbnm123", "password12", "password123", "password1234", "password!!",
    "passw0rd123", "p@ssw0rd123", "iloveyou12", "iloveyou123", "letmein123", "welcome123",
    "welcome2024", "welcome2025", "welcome2026", "changeme123", "football123", "baseball123",
    "princess123", "sunshine123", "monkey12345", "dragon12345", "superman123", "trustno1234",
    "abcdefghij", "abcdefghijk", "abcd123456", "abc1234567", "administrator", "admin12345",
    "adminadmin", "computer123", "internet123", "starwars123", "pokemon1234", "bookbug123",
    "bookbugbookbug", "picturebook", "storybook123",
})

_hasher = PasswordHasher()
# Each argon2 hash takes 64 MiB for a moment: at most this many at once per process, so a burst
# of sign-ins or registrations queues instead of exhausting the server's memory.
_HASHING = threading.BoundedSemaphore(4)
FIRST_OPERATOR = "first_operator"  # the app_settings row that records who became operator first


# -- errors -------------------------------------------------------------------------------
class AccountError(Exception):
    """A problem the user can fix; `message` is the sentence to show, `field` the input at fault."""

    message = "Something is wrong with this account request."
    field: str | None = None

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or type(self).message
        self.field = field if field is not None else type(self).field
        super().__init__(self.message)


class InvalidEmail(AccountError):
    message = "Please enter a valid e-mail address, like name@example.com."
    field = "email"


class EmailTaken(AccountError):
    message = "An account with this e-mail already exists."
    field = "email"


class WeakPassword(AccountError):
    message = (f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters that is not a "
               "common password and does not contain your e-mail address.")
    field = "password"


class InvalidName(AccountError):
    message = f"A name can be at most {MAX_NAME_LENGTH} characters."
    field = "name"


class WrongCredentials(AccountError):
    # One message for an unknown e-mail and a wrong password, so sign-in does not reveal
    # which e-mails have accounts.
    message = "The e-mail or password is not right."


class TooManyAttempts(AccountError):
    """Too many failed sign-ins lately; `retry_after` is in seconds. The same for every
    e-mail, with or without an account, so it reveals nothing about who is registered."""

    message = "Too many sign-in attempts. Please wait a little and try again."

    def __init__(self, by_client: bool, retry_after: float) -> None:
        source = "from your network" if by_client else "for this e-mail address"
        super().__init__(f"Too many sign-in attempts {source}. Please try again in {_duration(retry_after)}.")
        self.retry_after = retry_after


def _duration(seconds: float) -> str:
    if seconds < 60:
        count, unit = max(1, math.ceil(seconds)), "second"
    else:
        count, unit = math.ceil(seconds / 60), "minute"
    return f"{count} {unit}{'' if count == 1 else 's'}"


class TooManyRegistrations(AccountError):
    """Too many accounts registered from one address lately; `retry_after` is in seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__("Too many accounts were created from your network in the last hour. "
                         f"Please try again in {_duration(retry_after)}.")
        self.retry_after = retry_after


class UserNotFound(AccountError):
    message = "That account does not exist."


class TokenNotFound(AccountError):
    # Also raised for someone else's token, so ids of other users' tokens reveal nothing.
    message = "That token does not exist."


class InvalidExpiry(AccountError):
    message = "A token's lifetime must be at least one minute."
    field = "expires_in"


# -- results ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SignedIn:
    """A new browser session: `token` goes into the cookie and is never stored by us."""

    user: User
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class SessionInfo:
    id: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime | None
    expires_at: datetime


@dataclass(frozen=True)
class NewApiToken:
    """A created API token. `token` is the only time its plaintext exists: show it once."""

    id: str
    name: str
    prefix: str
    token: str
    expires_at: datetime | None


@dataclass(frozen=True)
class ApiTokenInfo:
    id: str
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    expired: bool


# -- input checks -------------------------------------------------------------------------
def normalize_email(email: str) -> str:
    """Trim and lowercase, or raise InvalidEmail."""
    value = (email or "").strip().lower()
    if not value or len(value) > MAX_EMAIL_LENGTH or not _EMAIL.match(value) or text_rules.unusable_character(value):
        raise InvalidEmail()
    return value


def check_password_rules(password: str, email: str) -> None:
    """Raise WeakPassword, naming the rule that failed, unless `password` is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"The password can be at most {MAX_PASSWORD_LENGTH:,} characters long.")
    folded = password.casefold()
    local_part = email.split("@", 1)[0]
    if folded == email or (len(local_part) >= 3 and local_part in folded):
        raise WeakPassword("The password must not contain your e-mail address.")
    if folded in _COMMON_PASSWORDS or len(set(folded)) < 4:
        raise WeakPassword("That password is too easy to guess. Try a few unrelated words together.")
    bad = text_rules.unusable_character(password)
    if bad:
        raise WeakPassword(f"A password cannot contain {text_rules.describe(bad)}.")


def _clean_name(name: str, *, fallback: str, field: str = "display_name") -> str:
    value = " ".join((name or "").split())
    if len(value) > MAX_NAME_LENGTH:
        raise InvalidName(field=field)
    bad = text_rules.unusable_character(value)
    if bad:
        raise InvalidName(f"A name cannot contain {text_rules.describe(bad)}.", field=field)
    return value or fallback


# -- small shared pieces ------------------------------------------------------------------
def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes even for timezone columns; they are UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def _secret_bytes(password: str) -> bytes:
    # "surrogatepass": a password that is not valid text still hashes (and never matches)
    return password.encode("utf-8", "surrogatepass")


def _hash_password(password: str) -> str:
    with _HASHING:
        return _hasher.hash(_secret_bytes(password))


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return _hash_password(secrets.token_urlsafe(16))


def _verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password. Without a hash (unknown e-mail, Clerk user) verify a dummy one anyway,
    so the answer takes as long as for a real account and timing reveals no e-mails."""
    known = password_hash or _dummy_hash(_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism)
    try:
        with _HASHING:
            matches = _hasher.verify(known, _secret_bytes(password))
    except (VerificationError, InvalidHashError):
        return False
    return bool(password_hash) and matches


def _nobody_yet(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(User)).one() == 0


def _insert_user(user: User, settings: Settings, db_url: str | None) -> User:
    """Insert a new user (raises IntegrityError when its e-mail or Clerk id was taken meanwhile).

    With operators listed in OPERATOR_EMAILS, the list decides. Otherwise the first account
    becomes the operator: its transaction also inserts the FIRST_OPERATOR row, whose fixed key
    the database lets only one transaction insert, so of two first registrations at the same
    moment one wins and the other is inserted again as a plain user."""
    for may_be_first in (True, False):
        first = False
        try:
            with session_scope(db_url) as session:
                first = may_be_first and not settings.operator_emails and _nobody_yet(session)
                listed = user.email in settings.operator_emails
                user.role = OPERATOR if first or listed else USER
                session.add(user)
                if first:
                    session.add(AppSetting(key=FIRST_OPERATOR, value=user.email, updated_by=user.id,
                                           updated_at=utcnow()))
                session.flush()
            if first:
                log.warning("%s is the operator: the first account on a site without OPERATOR_EMAILS "
                            "(`bookbug-admin grant EMAIL` / `revoke EMAIL` changes who)", user.email)
            return user
        except IntegrityError:
            if not first:
                raise
    raise AssertionError("unreachable: the second pass never claims the operator role")


def _apply_operator_list(session: Session, user: User, settings: Settings) -> None:
    """When operators are listed, the list alone decides, so editing it needs no data change."""
    if not settings.operator_emails:
        return
    wanted = OPERATOR if user.email in settings.operator_emails else USER
    if user.role != wanted:
        user.role = wanted
        session.add(user)


# -- local accounts -----------------------------------------------------------------------
def register(email: str, password: str, display_name: str = "", *, client: str = "", db_url: str | None = None,
             settings: Settings | None = None) -> User:
    """Create a local account. Raises InvalidEmail, WeakPassword, InvalidName, EmailTaken, or
    TooManyRegistrations when `client` (the caller's address, where the door knows it) has
    registered REGISTRATIONS_PER_ADDRESS accounts in the last hour: each one costs an argon2
    hash, so an address cannot make the server hash without end."""
    settings = settings or get_settings()
    email = normalize_email(email)
    check_password_rules(password, email)
    name = _clean_name(display_name, fallback=email.split("@", 1)[0])
    if client:
        taken = slots.take(REGISTRATIONS, client[:200], settings.registrations_per_address, timedelta(hours=1),
                           db_url=db_url)
        if isinstance(taken, slots.Full):
            raise TooManyRegistrations(taken.retry_after)
    password_hash = _hash_password(password)
    with session_scope(db_url) as session:
        if session.exec(select(User.id).where(User.email == email)).first() is not None:
            raise EmailTaken()
    try:
        return _insert_user(User(email=email, display_name=name, password_hash=password_hash), settings, db_url)
    except IntegrityError as exc:  # a concurrent registration won the race for this e-mail
        raise EmailTaken() from exc


def authenticate_password(email: str, password: str, *, client: str = "", db_url: str | None = None) -> User:
    """The account with this e-mail and password, checked with the limits on guessing; no
    session is opened (the web app then issues a ticket, the API a token). Raises
    WrongCredentials (one message for all), or TooManyAttempts after too many recent attempts
    for this e-mail from `client` (the caller's address, where the door knows it), or from
    `client` across all e-mails."""
    try:
        email = normalize_email(email)
    except InvalidEmail:
        email = ""
    # a malformed address matches no account, so only the client's limit counts it
    attempt = sign_in_limits.start(email or None, client, now=utcnow(), db_url=db_url)
    if isinstance(attempt, sign_in_limits.Refused):
        raise TooManyAttempts(attempt.by_client, attempt.retry_after)
    with session_scope(db_url) as session:
        user = session.exec(select(User).where(User.email == email)).first() if email else None
        # verify even when no user matched, so both failures take the same time
        if not _verify_password(user.password_hash if user else None, password) or user is None:
            raise WrongCredentials()
        if _hasher.check_needs_rehash(user.password_hash or ""):
            user.password_hash = _hash_password(password)
            session.add(user)
    sign_in_limits.succeeded(attempt, db_url=db_url)  # in its own transaction, once the check is done
    return user


def sign_in(email: str, password: str, *, user_agent: str = "", client: str = "", db_url: str | None = None,
            settings: Settings | None = None) -> SignedIn:
    """Check the password (see authenticate_password) and open a session."""
    settings = settings or get_settings()
    user = authenticate_password(email, password, client=client, db_url=db_url)
    with session_scope(db_url) as session:
        fresh = session.get(User, user.id)
        if fresh is None:
            raise WrongCredentials()
        return _open_session(session, fresh, user_agent, settings)


def _open_session(session: Session, user: User, user_agent: str, settings: Settings) -> SignedIn:
    _apply_operator_list(session, user, settings)
    token = SESSION_TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    record = UserSession(user_id=user.id, token_hash=_hash_token(token), user_agent=(user_agent or "")[:500],
                         created_at=now, last_seen_at=now, expires_at=now + SESSION_LIFETIME)
    session.add(record)
    session.flush()
    return SignedIn(user=user, token=token, expires_at=_aware(record.expires_at))  # type: ignore[arg-type]


def open_session(user_id: str, *, user_agent: str = "", db_url: str | None = None,
                 settings: Settings | None = None) -> SignedIn:
    """A browser session for a user someone else has vouched for (Clerk verified their token)."""
    settings = settings or get_settings()
    with session_scope(db_url) as session:
        user = session.get(User, user_id)
        if user is None:
            raise UserNotFound()
        return _open_session(session, user, user_agent, settings)


def user_for_session(token: str, *, db_url: str | None = None, settings: Settings | None = None) -> User | None:
    """The signed-in user, or None for an unknown, revoked or expired session token.
    Each use (at most every few minutes) pushes the expiry SESSION_LIFETIME into the future."""
    if not token or not token.startswith(SESSION_TOKEN_PREFIX):
        return None
    return user_for_session_key(session_key(token), db_url=db_url, settings=settings)


def session_key(token: str) -> str:
    """The session's key: what is stored in place of its token, and what the web app's socket
    carries in place of the cookie (it finds the session, but is no credential: no door takes it)."""
    return _hash_token(token)


_SESSION_KEY = re.compile(r"^[0-9a-f]{64}$")


def user_for_session_key(key: str, *, db_url: str | None = None, settings: Settings | None = None) -> User | None:
    """`user_for_session`, given the session's key rather than its token."""
    if not key or not _SESSION_KEY.match(key):
        return None
    settings = settings or get_settings()
    now = utcnow()
    with session_scope(db_url) as session:
        record = session.exec(select(UserSession).where(UserSession.token_hash == key)).first()
        if record is None or record.revoked_at is not None:
            return None
        expires_at = _aware(record.expires_at)
        if expires_at is None or expires_at <= now:
            return None
        user = session.get(User, record.user_id)
        if user is None:
            return None
        last_seen = _aware(record.last_seen_at)
        if last_seen is None or now - last_seen >= SESSION_TOUCH_EVERY:
            record.last_seen_at = now
            record.expires_at = now + SESSION_LIFETIME
            session.add(record)
        _apply_operator_list(session, user, settings)
        return user


def sign_out(token: str, *, db_url: str | None = None) -> None:
    """Revoke this session (a no-op for an unknown or already revoked token)."""
    if token:
        end_session(session_key(token), db_url=db_url)


def end_session(key: str, *, db_url: str | None = None) -> None:
    """Revoke the session with this key (a no-op for an unknown or already revoked one)."""
    if not key:
        return
    with session_scope(db_url) as session:
        record = session.exec(select(UserSession).where(UserSession.token_hash == key)).first()
        if record is not None and record.revoked_at is None:
            record.revoked_at = utcnow()
            session.add(record)


# -- sign-in tickets: a checked sign-in, collected by the browser as an HttpOnly cookie -------
TICKET_LIFETIME = timedelta(minutes=1)
TICKET_PREFIX = "bbt_"


def issue_ticket(user_id: str, *, db_url: str | None = None) -> str:
    """A one-time ticket the browser trades for a session cookie at POST /api/auth/session.

    Who the user is has been checked already (a password, a Clerk token); the ticket only
    carries that to an HTTP response, the one place that can set an HttpOnly cookie."""
    ticket = TICKET_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    with session_scope(db_url) as session:
        session.exec(delete(SignInTicket).where(col(SignInTicket.expires_at) < now - TICKET_LIFETIME))
        session.add(SignInTicket(user_id=user_id, ticket_hash=_hash_token(ticket), created_at=now,
                                 expires_at=now + TICKET_LIFETIME))
    return ticket


def redeem_ticket(ticket: str, *, user_agent: str = "", db_url: str | None = None,
                  settings: Settings | None = None) -> SignedIn | None:
    """Open the session a ticket stands for, or None for an unknown, used or expired ticket.
    Redeeming is one conditional write, so a ticket opens one session however often it is sent."""
    if not ticket or not ticket.startswith(TICKET_PREFIX) or len(ticket) > 100:
        return None
    settings = settings or get_settings()
    now = utcnow()
    with session_scope(db_url) as session:
        table = SignInTicket.__table__
        used = session.execute(
            update(table)
            .where(table.c.ticket_hash == _hash_token(ticket), table.c.used_at.is_(None), table.c.expires_at > now)
            .values(used_at=now)
            .returning(table.c.user_id)).first()
        if used is None:
            return None
        user = session.get(User, used.user_id)
        if user is None:
            return None
        return _open_session(session, user, user_agent, settings)


def revoke_session(user_id: str, session_id: str, *, db_url: str | None = None) -> None:
    """Sign one of your own sessions out (e.g. a lost device)."""
    with session_scope(db_url) as session:
        record = session.get(UserSession, session_id)
        if record is None or record.user_id != user_id:
            raise AccountError("That session does not exist.")
        if record.revoked_at is None:
            record.revoked_at = utcnow()
            session.add(record)


def revoke_all_sessions(user_id: str, *, db_url: str | None = None) -> int:
    """Sign the user out everywhere; returns how many sessions were open."""
    now = utcnow()
    with session_scope(db_url) as session:
        records = session.exec(select(UserSession).where(
            UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))).all()
        for record in records:
            record.revoked_at = now
            session.add(record)
        return len(records)


def list_sessions(user_id: str, *, db_url: str | None = None) -> list[SessionInfo]:
    """The user's open sessions (not revoked, not expired), most recently used first."""
    now = utcnow()
    with session_scope(db_url) as session:
        records = session.exec(select(UserSession).where(
            UserSession.user_id == user_id, col(UserSession.revoked_at).is_(None))).all()
    infos = [
        SessionInfo(id=r.id, user_agent=r.user_agent, created_at=_aware(r.created_at),  # type: ignore[arg-type]
                    last_seen_at=_aware(r.last_seen_at), expires_at=_aware(r.expires_at))  # type: ignore[arg-type]
        for r in records
        if r.expires_at is not None and _aware(r.expires_at) > now  # type: ignore[operator]
    ]
    return sorted(infos, key=lambda i: i.last_seen_at or i.created_at, reverse=True)


def get_user(user_id: str, *, db_url: str | None = None) -> User | None:
    with session_scope(db_url) as session:
        return session.get(User, user_id)


# -- operators --------------------------------------------------------------------------------
class OperatorListDecides(AccountError):
    message = ("OPERATOR_EMAILS is set, so it alone decides who is an operator: "
               "edit it (and restart) instead.")


def set_role(email: str, role: str, *, db_url: str | None = None, settings: Settings | None = None) -> User:
    """Make the account with this e-mail an operator (or a plain user again): `bookbug-admin`.
    Refused while OPERATOR_EMAILS is set, since that list would undo it at the next sign-in."""
    settings = settings or get_settings()
    if role not in (OPERATOR, USER):
        raise AccountError(f"A role is {OPERATOR!r} or {USER!r}.", field="role")
    if settings.operator_emails:
        raise OperatorListDecides()
    address = normalize_email(email)
    with session_scope(db_url) as session:
        user = session.exec(select(User).where(User.email == address)).first()
        if user is None:
            raise UserNotFound(f"There is no account with the e-mail {address}.")
        user.role = role
        session.add(user)
        return user


def operator_emails(*, db_url: str | None = None) -> list[str]:
    """The e-mails of the accounts that are operators now, in the order they were created."""
    with session_scope(db_url) as session:
        return list(session.exec(select(User.email).where(User.role == OPERATOR).order_by(col(User.created_at))).all())


def operators_summary(*, db_url: str | None = None, settings: Settings | None = None) -> str:
    """One line for the start-up log: who the operators are, and how that was decided."""
    settings = settings or get_settings()
    if settings.operator_emails:
        return f"Operators (OPERATOR_EMAILS): {', '.join(settings.operator_emails)}."
    current = operator_emails(db_url=db_url)
    if not current:
        return ("No operator yet: the first account registered becomes the operator "
                "(or set OPERATOR_EMAILS, or run `bookbug-admin grant EMAIL`).")
    return (f"Operator{'s' if len(current) > 1 else ''}: {', '.join(current)} (the first account registered, "
            "and any granted with `bookbug-admin grant EMAIL`; `bookbug-admin revoke EMAIL` takes it away).")


# -- API tokens ---------------------------------------------------------------------------
def is_session_token(token: str) -> bool:
    return token.startswith(SESSION_TOKEN_PREFIX)


def is_api_token(token: str) -> bool:
    return bool(token) and token.startswith(API_TOKEN_PREFIX)


def create_api_token(user_id: str, name: str, *, expires_in: timedelta | None = None,
                     db_url: str | None = None) -> NewApiToken:
    """Make a personal API token. Its plaintext is in the result and nowhere else, ever."""
    name = " ".join((name or "").split())
    if not name:
        raise AccountError("Give the token a name so you can recognise it later.", field="name")
    name = _clean_name(name, fallback="", field="name")
    if expires_in is not None and expires_in < timedelta(minutes=1):
        raise InvalidExpiry()
    secret = secrets.token_urlsafe(32)
    token = API_TOKEN_PREFIX + secret
    now = utcnow()
    with session_scope(db_url) as session:
        if session.get(User, user_id) is None:
            raise UserNotFound()
        record = ApiToken(user_id=user_id, name=name, token_hash=_hash_token(token),
                          prefix=API_TOKEN_PREFIX + secret[:_API_DISPLAY_CHARS], created_at=now,
                          expires_at=now + expires_in if expires_in is not None else None)
        session.add(record)
        session.flush()
        return NewApiToken(id=record.id, name=record.name, prefix=record.prefix, token=token,
                           expires_at=record.expires_at)


def list_api_tokens(user_id: str, *, db_url: str | None = None) -> list[ApiTokenInfo]:
    """The user's tokens that are not revoked (expired ones included, marked), newest first."""
    now = utcnow()
    with session_scope(db_url) as session:
        records = session.exec(select(ApiToken).where(
            ApiToken.user_id == user_id, col(ApiToken.revoked_at).is_(None))).all()
    infos = []
    for r in records:
        expires_at = _aware(r.expires_at)
        infos.append(ApiTokenInfo(id=r.id, name=r.name, prefix=r.prefix, created_at=_aware(r.created_at),  # type: ignore[arg-type]
                                  last_used_at=_aware(r.last_used_at), expires_at=expires_at,
                                  expired=expires_at is not None and expires_at <= now))
    return sorted(infos, key=lambda i: i.created_at, reverse=True)


def revoke_api_token(user_id: str, token_id: str, *, db_url: str | None = None) -> None:
    """Revoke one of the user's own tokens; anyone else's is TokenNotFound, like a missing one."""
    with session_scope(db_url) as session:
        record = session.get(ApiToken, token_id)
        if record is None or record.user_id != user_id:
            raise TokenNotFound()
        if record.revoked_at is None:
            record.revoked_at = utcnow()
            session.add(record)


def user_for_api_token(token: str, *, db_url: str | None = None, settings: Settings | None = None) -> User | None:
    """The token's owner, or None for an unknown, revoked or expired token."""
    if not is_api_token(token):
        return None
    settings = settings or get_settings()
    now = utcnow()
    with session_scope(db_url) as session:
        record = session.exec(select(ApiToken).where(ApiToken.token_hash == _hash_token(token))).first()
        if record is None or record.revoked_at is not None:
            return None
        expires_at = _aware(record.expires_at)
        if expires_at is not None and expires_at <= now:
            return None
        user = session.get(User, record.user_id)
        if user is None:
            return None
        last_used = _aware(record.last_used_at)
        if last_used is None or now - last_used >= TOKEN_TOUCH_EVERY:
            record.last_used_at = now
            session.add(record)
        _apply_operator_list(session, user, settings)
        return user


# -- Clerk users --------------------------------------------------------------------------
def clerk_placeholder_email(clerk_id: str) -> str:
    return f"{clerk_id.lower()}@{CLERK_PLACEHOLDER_DOMAIN}"


def user_for_clerk_id(clerk_id: str, *, email: str | None = None, db_url: str | None = None,
                      settings: Settings | None = None) -> User | None:
    """The user mapped to this Clerk user id, or None on first sight. A placeholder e-mail is
    replaced when a verified session token finally carries the real one."""
    settings = settings or get_settings()
    with session_scope(db_url) as session:
        user = session.exec(select(User).where(User.clerk_id == clerk_id)).first()
        if user is None:
            return None
        if email and user.email.endswith("@" + CLERK_PLACEHOLDER_DOMAIN):
            _replace_email_if_free(session, user, email)
        _apply_operator_list(session, user, settings)
        return user


def _replace_email_if_free(session: Session, user: User, email: str) -> None:
    try:
        email = normalize_email(email)
    except InvalidEmail:
        return
    if session.exec(select(User.id).where(User.email == email)).first() is None:
        user.email = email
        session.add(user)


def create_clerk_user(clerk_id: str, *, email: str | None, display_name: str = "", db_url: str | None = None,
                      settings: Settings | None = None) -> User:
    """Map a Clerk user to a new row (or the existing one when another request got there first).

    An e-mail that is missing, malformed or already used by another account becomes a
    placeholder: accounts are never merged by e-mail, since we cannot tell here whether Clerk
    verified the address.
    """
    settings = settings or get_settings()
    placeholder = clerk_placeholder_email(clerk_id)
    try:
        address = normalize_email(email or "")
    except InvalidEmail:
        address = placeholder
    name = " ".join((display_name or "").split())[:MAX_NAME_LENGTH]
    if text_rules.unusable_character(name):
        name = ""  # Clerk's name is only a label; without it the e-mail's first part is used
    for candidate in dict.fromkeys([address, placeholder]):
        existing = user_for_clerk_id(clerk_id, email=email, db_url=db_url, settings=settings)
        if existing is not None:
            return existing
        with session_scope(db_url) as session:
            if session.exec(select(User.id).where(User.email == candidate)).first() is not None:
                log.warning("Clerk user %s has an e-mail another account uses; giving it a placeholder", clerk_id)
                continue
        try:
            return _insert_user(User(email=candidate, display_name=name or candidate.split("@", 1)[0],
                                     clerk_id=clerk_id), settings, db_url)
        except IntegrityError:
            continue  # a concurrent request mapped this Clerk user or took the e-mail: look again
    existing = user_for_clerk_id(clerk_id, db_url=db_url, settings=settings)
    if existing is None:
        raise AccountError("We could not set up your account. Please try again.")
    return existing
