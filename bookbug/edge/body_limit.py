"""No request body larger than MAX_REQUEST_BYTES is read, on any HTTP route.

A declared Content-Length over the limit is refused before a byte is read; a body without
one (chunked) is counted as it arrives and refused as soon as it passes the limit, so a
30 MB upload is never held in memory. (The web app's socket messages have the same limit,
set on Reflex's Socket.IO server in bookbug.py.)
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def too_large_message(limit: int) -> str:
    return f"The request is too large: at most {limit:,} bytes."


class BodyLimit:
    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = next((value for key, value in scope.get("headers") or [] if key.lower() == b"content-length"), None)
        if declared is not None and (not declared.strip().isdigit() or int(declared) > self.limit):
            await self._refuse(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # inside the app this becomes the API's usual 413 envelope
                    raise HTTPException(413, too_large_message(self.limit))
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": {"code": "too_large", "message": too_large_message(self.limit),
                                     "field": None}}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
