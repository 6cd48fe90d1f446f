"""What an account's e-mail and display name may be (the users table's limits)."""

from __future__ import annotations

import re

from bookbug.safety import text_rules

MAX_EMAIL_LENGTH = 320
MAX_NAME_LENGTH = 200

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


def clean_email(email: str | None) -> str | None:
    """The address trimmed and lowercased, or None when it is not a usable e-mail address.
    (The accounts service turns None into the InvalidEmail a person sees.)"""
    value = (email or "").strip().lower()
    if not value or len(value) > MAX_EMAIL_LENGTH or not _EMAIL.match(value) or text_rules.unusable_character(value):
        return None
    return value
