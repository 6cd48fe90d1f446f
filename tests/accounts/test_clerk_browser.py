"""Where the browser loads ClerkJS from: the Frontend API named by the publishable key."""

from __future__ import annotations

import pytest

from bookbug.providers.auth.clerk_browser import (
    PublishableKeyError,
    clerk_js_url,
    frontend_api_host,
    publishable_key_for,
)
from bookbug.settings import Settings


@pytest.mark.parametrize("host", ["clerk.bookbug.example", "happy-otter-12.clerk.accounts.dev", "127.0.0.1:8443"])
@pytest.mark.parametrize("live", [False, True])
def test_the_frontend_api_host_is_read_back_from_the_publishable_key(host: str, live: bool) -> None:
    assert frontend_api_host(publishable_key_for(host, live=live)) == host


def test_clerkjs_comes_from_the_instances_frontend_api_unless_overridden() -> None:
    key = publishable_key_for("clerk.bookbug.example")
    assert clerk_js_url(Settings(clerk_publishable_key=key)) == (
        "https://clerk.bookbug.example/npm/@clerk/clerk-js@6/dist/clerk.browser.js")
    own = "https://bookbug.example/static/clerk.browser.js"
    assert clerk_js_url(Settings(clerk_publishable_key=key, clerk_js_url=own)) == own


@pytest.mark.parametrize("key", ["", "sk_test_c2VjcmV0JA", "pk_test_", "pk_test_bm90IGEgaG9zdA",  # no '$'
                                 "pk_test_" + "ZXZpbC5leGFtcGxlL3BhdGgk",  # evil.example/path$
                                 "pk_live_!!!!"])
def test_a_key_that_names_no_frontend_api_is_refused_with_a_sentence(key: str) -> None:
    with pytest.raises(PublishableKeyError, match="CLERK_PUBLISHABLE_KEY"):
        frontend_api_host(key)
