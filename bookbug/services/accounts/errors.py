"""The account requests a person can fix, each a kind of `bookbug.errors.AccountError`."""

from __future__ import annotations

import math

from bookbug.errors import AccountError
from bookbug.providers.auth.profile import MAX_NAME_LENGTH
from bookbug.services.accounts.passwords import MIN_PASSWORD_LENGTH


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


class OperatorListDecides(AccountError):
    message = ("OPERATOR_EMAILS is set, so it alone decides who is an operator: "
               "edit it (and restart) instead.")
