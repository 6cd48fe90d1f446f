"""A stand-in for ClerkJS, the script Clerk's Frontend API serves to browsers.

Browser tests answer the request for `clerk.browser.js` with this script (Playwright's
`page.route`), so nothing leaves the machine. It implements the part of ClerkJS's documented
plain-JavaScript API that Bookbug uses: `load(options)`, `session` (with `id` and
`getToken()`), `user`, `addListener`, `mountSignIn` / `unmountSignIn`, `mountSignUp` /
`unmountSignUp` and `signOut`. Its sign-in form takes an e-mail; a known e-mail signs in with
the session token the test minted for it (see `ClerkKeys.mint`), as Clerk's own form would
after checking a password. Like ClerkJS, it keeps the signed-in client across page loads
(in localStorage here, a cookie on Clerk's domain in the real thing), and after a sign-in it
navigates to `signInForceRedirectUrl` through `routerPush`.

`script(...)` returns the JavaScript; `requests` style checks are done by the test itself.
"""

from __future__ import annotations

import json

_TEMPLATE = r"""
(function () {
  const TOKENS = __TOKENS__;
  const STORE = "standin-clerk-client";
  const listeners = new Set();
  const publishableKey = document.currentScript && document.currentScript.getAttribute("data-clerk-publishable-key");
  function sessionFor(email) {
    return { id: "sess_" + email, getToken: async () => TOKENS[email] || null };
  }
  const clerk = {
    loaded: false, session: null, user: null, options: {}, publishableKey,
    async load(options) {
      this.options = options || {};
      const saved = window.localStorage.getItem(STORE);
      if (saved && TOKENS[saved]) this._activate(saved);
      this.loaded = true;
      window.__standinClerk = { loads: (window.__standinClerk ? window.__standinClerk.loads : 0) + 1 };
    },
    addListener(callback) {
      listeners.add(callback);
      callback({ session: this.session, user: this.user });
      return () => listeners.delete(callback);
    },
    _activate(email) {
      this.session = sessionFor(email);
      this.user = { id: "user_" + email, primaryEmailAddress: { emailAddress: email } };
    },
    _emit() { listeners.forEach((callback) => callback({ session: this.session, user: this.user })); },
    _form(node, title, next) {
      node.innerHTML = "";
      const form = document.createElement("form");
      form.id = "standin-clerk-form";
      form.innerHTML = "<h3>" + title + "</h3><label>Email address <input id='standin-clerk-email' type='email'></label>"
        + "<button id='standin-clerk-continue' type='submit'>Continue</button><p id='standin-clerk-error'></p>";
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const email = form.querySelector("input").value.trim().toLowerCase();
        if (!TOKENS[email]) { form.querySelector("#standin-clerk-error").textContent = "Couldn't find your account."; return; }
        window.localStorage.setItem(STORE, email);
        this._activate(email);
        this._emit();
        const to = this.options[next];
        if (to) (this.options.routerPush || ((url) => window.location.assign(url)))(to);
      });
      node.appendChild(form);
    },
    mountSignIn(node) { this._form(node, "Sign in to Bookbug", "signInForceRedirectUrl"); },
    unmountSignIn(node) { node.innerHTML = ""; },
    mountSignUp(node) { this._form(node, "Create your account", "signUpForceRedirectUrl"); },
    unmountSignUp(node) { node.innerHTML = ""; },
    async signOut() {
      window.localStorage.removeItem(STORE);
      this.session = null;
      this.user = null;
      this._emit();
    },
  };
  window.Clerk = clerk;
})();
"""


def script(tokens: dict[str, str]) -> str:
    """ClerkJS's stand-in, signing in each e-mail in `tokens` with its session token."""
    return _TEMPLATE.replace("__TOKENS__", json.dumps({email.lower(): token for email, token in tokens.items()}))
