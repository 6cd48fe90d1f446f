"""Clerk in the browser: load ClerkJS, show its sign-in or sign-up form, report the session.

Written against ClerkJS's plain-JavaScript API (`window.Clerk.load`, `mountSignIn`,
`mountSignUp`, `addListener`, `session.getToken`, `signOut`), loaded by a script tag as Clerk
documents, so no Clerk React package is needed (see `providers/auth/clerk.py` for why).

`on_session` fires once when ClerkJS has loaded and again whenever the active session changes:
with a fresh session token when someone is signed in, with "" when no one is. The server
verifies the token; nothing the browser says is trusted on its own.
"""

from __future__ import annotations

import reflex as rx
from reflex.event import passthrough_event_spec

from bookbug.providers.auth.clerk_browser import clerk_js_url
from bookbug.settings import get_settings
from bookbug.state.clerk_auth import HOME_AFTER_SIGN_IN, ClerkAuthState

# Module-level JavaScript shared by every instance on a page.
#  - ClerkJS is loaded once per page, however many components ask.
#  - After a sign-in, Clerk navigates to the "home" URL; the app does that itself once the
#    server has verified the session (else the next page would load before its cookie), so
#    Clerk's navigation there is skipped; every other navigation goes ahead.
#  - `bookbugClerkSignOut` lets the app's Sign out button end Clerk's session too.
_SCRIPT = r"""
function bookbugClerkNavigate(home) {
  return (to) => {
    const url = new URL(to, window.location.href);
    if (url.origin === window.location.origin && url.pathname === home) return;
    window.location.assign(url.href);
  };
}

function bookbugLoadClerk(scriptUrl, publishableKey, home, signInUrl, signUpUrl) {
  if (!window.__bookbugClerk) {
    window.__bookbugClerk = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.async = true;
      script.crossOrigin = "anonymous";
      script.setAttribute("data-clerk-publishable-key", publishableKey);
      script.addEventListener("load", () => {
        if (!window.Clerk) { reject(new Error("ClerkJS did not start")); return; }
        const navigate = bookbugClerkNavigate(home);
        window.Clerk.load({
          signInUrl, signUpUrl, afterSignOutUrl: "/",
          signInForceRedirectUrl: home, signUpForceRedirectUrl: home,
          routerPush: navigate, routerReplace: navigate,
        }).then(() => resolve(window.Clerk), reject);
      });
      script.addEventListener("error", () => reject(new Error("ClerkJS could not be loaded")));
      script.src = scriptUrl;
      document.head.appendChild(script);
    });
    window.__bookbugClerk.catch(() => { window.__bookbugClerk = null; });  // the next page tries again
  }
  return window.__bookbugClerk;
}

if (typeof window !== "undefined") {  // pages are also prerendered on the server, without a window
  // `then`: a URL to go to, or a function (the app's own sign-out, which posts to a route
  // that clears the HttpOnly session cookie)
  window.bookbugClerkSignOut = async (then) => {
    try {
      const clerk = await window.__bookbugClerk;
      if (clerk) await clerk.signOut();
    } finally {
      if (typeof then === "function") then(); else window.location.assign(then);
    }
  };
}

function BookbugClerk({ scriptUrl, publishableKey, mount, home, signInUrl, signUpUrl, onSession }) {
  const node = useRef(null);
  const report = useRef(onSession);
  report.current = onSession;
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    let unlisten = null;
    let mounted = "";
    let last;
    const send = (clerk) => {
      const sid = clerk.session ? clerk.session.id : "";
      if (sid === last) return;
      last = sid;
      if (!clerk.session) { report.current(""); return; }
      // a failed token fetch says nothing about the session: report nothing, not "signed out"
      clerk.session.getToken().then((token) => { if (live && token) report.current(token); }, () => {});
    };
    bookbugLoadClerk(scriptUrl, publishableKey, home, signInUrl, signUpUrl).then((clerk) => {
      if (!live) return;
      send(clerk);
      unlisten = clerk.addListener(() => send(clerk));
      if (!node.current || clerk.session) return;  // signed in: the server is finishing the sign-in
      if (mount === "sign_in") { clerk.mountSignIn(node.current, { signUpUrl }); mounted = mount; }
      if (mount === "sign_up") { clerk.mountSignUp(node.current, { signInUrl }); mounted = mount; }
    }, () => { if (live) setFailed(true); });
    const element = node.current;
    return () => {
      live = false;
      if (unlisten) unlisten();
      if (element && window.Clerk && mounted === "sign_in") window.Clerk.unmountSignIn(element);
      if (element && window.Clerk && mounted === "sign_up") window.Clerk.unmountSignUp(element);
    };
  }, [scriptUrl, publishableKey, mount, home, signInUrl, signUpUrl]);
  if (!mount) return null;
  if (failed) {
    return jsx("p", { id: "clerk-failed" },
      "The sign-in form could not be loaded. Check your connection and reload the page.");
  }
  return jsx("div", { ref: node, id: "clerk-widget", style: { minHeight: "12rem" } });
}
"""


class BookbugClerk(rx.Component):
    tag = "BookbugClerk"

    script_url: rx.Var[str]
    publishable_key: rx.Var[str]
    mount: rx.Var[str]  # "sign_in", "sign_up", or "" to watch the session without a form
    home: rx.Var[str]
    sign_in_url: rx.Var[str]
    sign_up_url: rx.Var[str]

    on_session: rx.EventHandler[passthrough_event_spec(str)]  # type: ignore[type-arg,valid-type]  # Reflex's documented spelling of an event's argument types

    def add_imports(self) -> rx.ImportDict:
        # `jsx` as the compiled pages use it, so the snippet needs no JSX transform
        return {"react": ["useEffect", "useRef", "useState"], "@emotion/react": ["jsx"]}  # type: ignore[dict-item]  # mypy matches no list type in ImportDict's union to a list literal

    def add_custom_code(self) -> list[str]:
        return [_SCRIPT]


def clerk_session(mount: str = "") -> rx.Component:
    """Clerk's form (mount "sign_in" / "sign_up") or a silent session watcher (mount "")."""
    settings = get_settings()
    return BookbugClerk.create(
        script_url=clerk_js_url(settings), publishable_key=settings.clerk_publishable_key, mount=mount,
        home=HOME_AFTER_SIGN_IN, sign_in_url="/login", sign_up_url="/register",
        on_session=ClerkAuthState.clerk_session,
    )
