"""Storage keys: one layout for every store, and one gate that refuses unsafe keys.

Every book's files live under `books/{book_id}/`, so deleting a book is one prefix delete;
a user's data exports live under `exports/{user_id}/`, likewise.
"""

from __future__ import annotations

import re

# Letters, digits and a few separators; no backslashes, no "..", no leading slash, no
# empty segments. Anything else could escape the files folder or confuse S3 consoles.
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_KEY_LENGTH = 512


class InvalidKey(ValueError):
    """A key that is not a safe relative path of plain segments."""


def check_key(key: str) -> str:
    if not isinstance(key, str) or not key:
        raise InvalidKey("a storage key must be a non-empty string")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidKey(f"a storage key may be at most {MAX_KEY_LENGTH} characters")
    segments = key.split("/")
    for segment in segments:
        if segment in ("", ".", "..") or not _SEGMENT.match(segment):
            raise InvalidKey(
                f"unsafe storage key {key!r}: use segments of letters, digits, '.', '_' and '-' joined by '/'"
            )
    return key


def check_prefix(prefix: str) -> str:
    """A prefix is a key that ends with '/': whole folders only, never half a name."""
    if not prefix.endswith("/"):
        raise InvalidKey(f"a prefix must end with '/', got {prefix!r}")
    check_key(prefix[:-1])
    return prefix


def book_prefix(book_id: str) -> str:
    return check_prefix(f"books/{book_id}/")


def book_key(book_id: str, *parts: str) -> str:
    """`books/{book_id}/part/part`, e.g. book_key(id, "pages", "003.png")."""
    return check_key("/".join(("books", book_id, *parts)))


def export_prefix(user_id: str) -> str:
    return check_prefix(f"exports/{user_id}/")


def export_key(user_id: str, export_id: str, *parts: str) -> str:
    """`exports/{user_id}/{export_id}/part`, e.g. export_key(u, e, "bookbug-export.zip")."""
    return check_key("/".join(("exports", user_id, export_id, *parts)))
