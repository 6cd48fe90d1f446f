"""The input rules of an account request: each raises the error whose message the user sees."""

from __future__ import annotations

from bookbug.providers.auth.profile import MAX_NAME_LENGTH, clean_email
from bookbug.safety import text_rules
from bookbug.services.accounts.errors import InvalidEmail, InvalidName, WeakPassword
from bookbug.services.accounts.passwords import COMMON_PASSWORDS, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH


def normalize_email(email: str) -> str:
    """Trim and lowercase, or raise InvalidEmail."""
    value = clean_email(email)
    if value is None:
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
    if folded in COMMON_PASSWORDS or len(set(folded)) < 4:
        raise WeakPassword("That password is too easy to guess. Try a few unrelated words together.")
    bad = text_rules.unusable_character(password)
    if bad:
        raise WeakPassword(f"A password cannot contain {text_rules.describe(bad)}.")


def clean_name(name: str, *, fallback: str, field: str = "display_name") -> str:
    """The name with its spaces tidied (or `fallback` when empty), or raise InvalidName."""
    value = " ".join((name or "").split())
    if len(value) > MAX_NAME_LENGTH:
        raise InvalidName(field=field)
    bad = text_rules.unusable_character(value)
    if bad:
        raise InvalidName(f"A name cannot contain {text_rules.describe(bad)}.", field=field)
    return value or fallback
