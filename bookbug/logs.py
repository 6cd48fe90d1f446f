"""What Bookbug's logs may hold: never what a family wrote, their children's names, or a secret.

Bookbug's own log lines name runs, steps, services and kinds of failure, never a book's words
(a reply that fails validation is described by where and which rule, not by its values; see
resilience/classify.py and providers/text/claude.py). Two things here make the rest hold:

- the HTTP clients of the services we call log whole request bodies at DEBUG (a prompt is a
  child's name, age and everything their parent typed), so their loggers are held at INFO;
- every record is checked for anything shaped like a secret (our session, ticket and API
  tokens, Anthropic and Replicate keys, bearer credentials, JWTs), which is blanked out.

`install()` is called by the app and by the worker processes, before anything logs.
"""

from __future__ import annotations

import logging
import re
from typing import Any

CHATTY_CLIENTS = ("anthropic", "httpx", "httpcore", "replicate", "botocore", "boto3", "urllib3", "s3transfer")
REDACTED = "[redacted]"

_SECRETS = re.compile(
    r"\b(?:bbs|bbt|bb)_[A-Za-z0-9_\-]{16,}"  # Bookbug's session, sign-in ticket and API tokens
    r"|\bsk-ant-[A-Za-z0-9_\-]+"  # Anthropic keys
    r"|\br8_[A-Za-z0-9]{16,}"  # Replicate tokens
    r"|\beyJ[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*"  # JWTs (Clerk session tokens)
    r"|(?i:bearer)\s+[A-Za-z0-9._~+/\-]{8,}=*"
)
_installed = False


def redact(text: str) -> str:
    return _SECRETS.sub(REDACTED, text)


def _private_records(previous: Any) -> Any:
    def make(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the logging call's own problem
            return record
        if _SECRETS.search(message):
            record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        return record

    return make


def install() -> None:
    """Hold the chatty clients at INFO and blank out secrets in every record (once per process)."""
    global _installed
    for name in CHATTY_CLIENTS:
        client = logging.getLogger(name)
        if client.getEffectiveLevel() < logging.INFO or client.level < logging.INFO:
            client.setLevel(logging.INFO)
    if not _installed:
        logging.setLogRecordFactory(_private_records(logging.getLogRecordFactory()))
        _installed = True
