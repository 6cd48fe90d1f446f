"""People read one plain sentence per kind of failure; the detail is for operators only."""

from __future__ import annotations

import re

import pytest

from bookbug.resilience import FAILURE_KINDS, classify
from bookbug.resilience.errors import FatalError, RetryableError
from bookbug.resilience.plain_words import book_failure, redo_failure

TECHNICAL = re.compile(r"\b(step|attempt|status|http|\d{3}|api|sdk|exception|error|replicate|anthropic)\b", re.I)


@pytest.mark.parametrize("kind", FAILURE_KINDS)
def test_every_kind_of_failure_has_a_plain_sentence_without_technical_words(kind: str) -> None:
    failure = {"kind": kind, "service": "replicate", "status": 429, "detail": "step 'book[page-3]/picture' 429"}
    for sentence in (book_failure(failure), redo_failure(3, failure), redo_failure(3, failure, kept=True)):
        assert sentence.endswith(".") and sentence[0].isupper()
        assert not TECHNICAL.search(sentence), sentence


def test_the_sentence_follows_the_kind_never_the_detail_words() -> None:
    """A detail that happens to say "busy" does not make a blank picture a busy service."""
    blank = {"kind": "internal", "detail": "the image was blank; the service was busy drawing it"}
    busy = {"kind": "rate_limited", "detail": "the image was blank"}
    assert book_failure(blank) != book_failure(busy)
    assert "too busy" in book_failure(busy) and "too busy" not in book_failure(blank)
    assert book_failure(None) == book_failure({"kind": "no-such-kind"}) == book_failure({"kind": "internal"})


@pytest.mark.parametrize(("error", "kind"), [
    (RetryableError("slow down", retry_after=3, service="anthropic", status=429), "rate_limited"),
    (RetryableError("overloaded", service="anthropic", status=529), "overloaded"),
    (FatalError("bad key", service="replicate", status=401), "auth"),
    (FatalError("nope", service="replicate", status=422), "bad_request"),
    (FatalError("filtered", service="replicate", kind="content_refused"), "content_refused"),
    (TimeoutError("slow"), "timeout"),
    (KeyError("bug"), "internal"),
])
def test_failures_are_classified_once_into_a_kind(error: Exception, kind: str) -> None:
    assert classify(error).kind == kind
    assert classify(error).as_failure()["kind"] == kind
