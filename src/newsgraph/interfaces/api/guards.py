"""ASGI guards around the app: request bodies bounded while they are read, security headers on every
response, and an optional Host allow-list (against DNS rebinding)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                 b"script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


def _error(status: int, code: str, message: str, hint: str) -> bytes:
    return json.dumps({"error": {"status": status, "code": code, "message": message, "hint": hint}}).encode()


async def _reply(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


class TooLarge(HTTPException):
    """Raised from ``receive`` once a body passes its limit; the app's error handler answers 413 (NG306)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over {limit:,} bytes")


class Guards:
    """``max_body``: bytes a request body may have, counted as it arrives (chunked bodies too), so an
    oversized upload is answered 413 before it is held in memory. ``allowed_hosts``: Host header values
    served; None serves any."""

    def __init__(self, app: ASGIApp, *, max_body: int, allowed_hosts: Iterable[str] | None = None,
                 bulk_paths: Iterable[str] = (), bulk_factor: int = 10) -> None:
        self.app = app
        self.max_body = max_body
        self.bulk = {p: max_body * bulk_factor for p in bulk_paths}  # batch endpoints take several articles
        self.allowed = {h.lower() for h in allowed_hosts} if allowed_hosts is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        host = headers.get(b"host", b"").decode("latin-1").rsplit(":", 1)[0].strip("[]").lower()
        if self.allowed is not None and host not in self.allowed:
            await _reply(send, 400, _error(400, "NG307", f"host {host!r} is not served here",
                                           "use the address the server was started on (the allowed_hosts setting)"))
            return
        limit = self.bulk.get(scope.get("path", ""), self.max_body)
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _reply(send, 413, _too_large(limit))
            return
        received = 0
        started = False

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge(limit)
            return message

        async def secured_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        try:
            await self.app(scope, bounded_receive, secured_send)
        except TooLarge:
            if not started:
                await _reply(send, 413, _too_large(limit))


def _too_large(limit: int) -> bytes:
    return _error(413, "NG306", f"request body over {limit:,} bytes",
                  "send less (one article per request to /api/analyze), or raise analyze_max_bytes")
