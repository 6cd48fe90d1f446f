"""Passwords: how long they must be, and hashing and verifying them with argon2.

The rules that refuse a password (and say why) are in `checks.py`; this module raises nothing,
so the errors can quote its lengths.
"""

from __future__ import annotations

import secrets
import threading
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000  # argon2 copes, but nobody needs more and it bounds the work

# Frequent passwords of 10+ characters (shorter ones already fail the length rule).
COMMON_PASSWORDS = frozenset({
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


def _secret_bytes(password: str) -> bytes:
    # "surrogatepass": a password that is not valid text still hashes (and never matches)
    return password.encode("utf-8", "surrogatepass")


def hash_password(password: str) -> str:
    with _HASHING:
        return _hasher.hash(_secret_bytes(password))


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return hash_password(secrets.token_urlsafe(16))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password. Without a hash (unknown e-mail, Clerk user) verify a dummy one anyway,
    so the answer takes as long as for a real account and timing reveals no e-mails."""
    known = password_hash or _dummy_hash(_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism)
    try:
        with _HASHING:
            matches = _hasher.verify(known, _secret_bytes(password))
    except (VerificationError, InvalidHashError):
        return False
    return bool(password_hash) and matches


def needs_rehash(password_hash: str) -> bool:
    """Whether this hash was made with other argon2 parameters than the ones in use now."""
    return _hasher.check_needs_rehash(password_hash)
