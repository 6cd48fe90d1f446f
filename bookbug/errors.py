"""What a service function refuses, in words a person can act on.

Each error carries a stable `code`, a `message` for the user and, for bad input, the `field`.
The REST API turns them into `{"error": {...}}` with a status; the web pages show the message.
"""

from __future__ import annotations


class ServiceError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ServiceError):
    code = "invalid_input"
    status = 422


class Unsuitable(InvalidInput):
    """Words a young child's book leaves out (a redo note, a hand edit): what, and close ideas."""

    code = "unsuitable"

    def __init__(self, message: str, *, field: str | None = None, concern: str,
                 suggestions: list[str] | None = None) -> None:
        super().__init__(message, field=field)
        self.concern = concern
        self.suggestions = suggestions or []


class NotFound(ServiceError):
    """Someone else's book and a book that does not exist look exactly the same."""

    code = "not_found"
    status = 404

    def __init__(self, what: str = "book") -> None:
        super().__init__(f"That {what} was not found.")


class NoSuchFile(ServiceError):
    """A file of a book the caller may see, but which does not exist (yet)."""

    code = "not_found"
    status = 404


class WrongPhase(ServiceError):
    code = "wrong_phase"
    status = 409


class Throttled(ServiceError):
    code = "throttled"
    status = 429

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class OverCap(ServiceError):
    """A cap an operator set (spending a day, plot changes, redos...): which one, and when it resets."""

    code = "over_cap"
    status = 429

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after  # None: it does not reset (a cap per book)


class AccountError(Exception):
    """A problem with an account request the user can fix; `message` is the sentence to show,
    `field` the input at fault. Kept here, below both, because the credential store
    (`providers/auth/`) raises it as well as the accounts service; its kinds are in
    `services/accounts/errors.py`, and the REST API gives each its status (`api/errors.py`)."""

    message = "Something is wrong with this account request."
    field: str | None = None

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or type(self).message
        self.field = field if field is not None else type(self).field
        super().__init__(self.message)
