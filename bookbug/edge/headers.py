"""Security headers on every HTTP answer: the pages, their files, the API.

Pages get a Content-Security-Policy naming what they load (this origin; Clerk's hosts when
Clerk signs people in; S3 for pictures when files live there), and no page, API answer or
file may be framed by another site (frame-ancestors and X-Frame-Options, against
clickjacking). Browsers are told not to guess content types and to send no Referer to other
sites. Over https, browsers are told to keep using https.

Reflex's own page runtime runs the scripts a handler sends (`rx.call_script`) with eval, and
its pages carry inline boot scripts, so script-src allows both; what the policy still stops is
loading or connecting anywhere this app does not name, being framed, and plugins.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bookbug.settings import Settings, origin_of

API_PREFIX = "/api/"
DOCS_PATHS = ("/api/docs", "/docs/oauth2-redirect")
# Swagger UI, as FastAPI serves it: scripts and styles from jsDelivr, an inline start-up script.
DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Clerk's documented needs: its Frontend API (script, calls), avatars, Cloudflare's bot check.
CLERK_IMAGES = "https://img.clerk.com"
CLERK_CHALLENGES = "https://challenges.cloudflare.com"


def _socket_origin(origin: str) -> str:
    return ("wss://" if origin.startswith("https://") else "ws://") + origin.split("://", 1)[1]


def page_policy(settings: Settings) -> str:
    """The Content-Security-Policy of the web app's pages."""
    scripts = ["'self'", "'unsafe-inline'", "'unsafe-eval'"]
    connect = ["'self'", *[_socket_origin(origin) for origin in settings.origins]]
    images = ["'self'", "data:", "blob:"]
    frames: list[str] = []
    if settings.clerk_enabled:
        from bookbug.providers.auth.clerk_browser import clerk_js_url, frontend_api_host

        clerk_hosts = {origin_of(clerk_js_url(settings))}
        try:
            clerk_hosts.add(origin_of(f"https://{frontend_api_host(settings.clerk_publishable_key)}"))
        except ValueError:
            pass  # a self-hosted CLERK_JS_URL with an odd key: start-up checks name the problem
        scripts += [*sorted(clerk_hosts), CLERK_CHALLENGES]
        connect += sorted(clerk_hosts)
        images.append(CLERK_IMAGES)
        frames.append(CLERK_CHALLENGES)
    if settings.s3_bucket:
        # picture links redirect to presigned URLs on the bucket's host
        endpoint = settings.s3_endpoint_url.strip()
        images.append(origin_of(endpoint) if endpoint and urlsplit(endpoint).hostname else "https:")
    parts = {
        "default-src": ["'self'"],
        "script-src": scripts,
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "font-src": ["'self'", "data:"],
        "connect-src": connect,
        "worker-src": ["'self'", "blob:"],
        "frame-src": frames or ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in parts.items())


# Operators' endpoints (health, readiness, Prometheus) answer data, never a page.
OPERATOR_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def policy_for(path: str, page_csp: str) -> str:
    if path in DOCS_PATHS:
        return DOCS_CSP
    if path.startswith(API_PREFIX) or path == API_PREFIX.rstrip("/") or path in OPERATOR_PATHS:
        return API_CSP
    return page_csp


# The frontend build's scripts and styles: their names carry a hash of their content, so a
# browser may keep them for good (a new build has new names).
BUILT_ASSETS = "/assets/"
BUILT_ASSETS_CACHE = "public, max-age=31536000, immutable"


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.page_csp = page_policy(settings)
        self.common = {
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "same-origin",
        }
        if settings.https:
            self.common["Strict-Transport-Security"] = "max-age=31536000"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        csp = policy_for(path, self.page_csp)
        extra = {"Cache-Control": BUILT_ASSETS_CACHE} if path.startswith(BUILT_ASSETS) else {}

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in {**self.common, "Content-Security-Policy": csp, **extra}.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)
