"""ASGI middleware of riskkit's server. Pure ASGI (not BaseHTTPMiddleware), so it sees
every request, websockets and streamed media included, and adds nothing per message."""

from __future__ import annotations

import asyncio
import hmac
import os
import secrets
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui.state import EDITOR_COOKIE, PARTICIPANT_COOKIE, editor_pass

# Streamlit's own pages need inline styles and scripts and 'unsafe-eval' (its bundled
# libraries use it); everything else is kept to this server, so no text anyone typed can
# make a browser fetch from, send to or be framed by another host.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "frame-src 'self' blob: data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
])
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    # same-origin: the facilitator's key in an address never leaves in a Referer to another host,
    # and our own forms keep their Origin header (no-referrer makes Chromium send "null")
    (b"referrer-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)

# Reachable without the editor key: the participants' page and what a browser needs to
# draw it (Streamlit's assets, its websocket, health), and the page that asks for the key.
# Every Streamlit session checks the key again (app.py), so the websocket being open
# gives a participant the rating page and nothing else.
OPEN_PATHS = ("/join", "/unlock", "/_stcore/health", "/_stcore/host-config", "/_stcore/stream",
              "/_stcore/script-health-check", "/favicon.png", "/manifest.json")
OPEN_PREFIXES = ("/static/", "/join/")
WRONG_KEY_DELAY_S = 0.5


def _cookies(scope: Scope) -> dict[str, str]:
    """The request's cookies, read leniently (one odd cookie of another app must not hide ours)."""
    found: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            found.update(cookie_parser(value.decode("latin-1")))
    return found


def _cookie(name: str, value: str, max_age: int) -> bytes:
    return f"{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax".encode()


async def _respond(send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]] | None = None,
                   content_type: bytes = b"text/plain; charset=utf-8") -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store"), *SECURITY_HEADERS, *(headers or [])]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Adds the security headers to every HTTP response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *(h for h in SECURITY_HEADERS if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)


class ParticipantCookie:
    """Gives a phone opening /join an anonymous id of its own, kept by the browser, so that
    reopening the join link (or a QR code scanned twice) is the same participant."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != "/join" \
                or PARTICIPANT_COOKIE in _cookies(scope):
            await self.app(scope, receive, send)
            return
        cookie = _cookie(PARTICIPANT_COOKIE, secrets.token_hex(16), 7 * 24 * 3600)

        async def with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie)]
            await send(message)

        await self.app(scope, receive, with_cookie)


class EditorLock:
    """With RISKKIT_EDITOR_KEY set, every route but the participants' needs the editor's
    cookie, which /unlock (or ?editor=KEY in an address, once) gives. Pages redirect to
    /unlock; anything else (media, uploads, the app's files) answers 403."""

    def __init__(self, app: ASGIApp, key: str | None = None) -> None:
        self.app = app
        self.key = os.environ.get("RISKKIT_EDITOR_KEY", "") if key is None else key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.key or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        given = next((value for name, value in query if name == "editor"), None)
        if given is not None and scope["type"] == "http":
            await self._take_key_from_address(scope, send, path, query, given)
            return
        if self._has_pass(scope) or path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope.get("method") == "GET" and not path.startswith(("/_stcore/", "/media/", "/component/")):
            back = path + ("?" + urlencode(query) if query else "")
            await _respond(send, 303, b"", [(b"location", f"/unlock?next={quote(back, safe='')}".encode())])
            return
        await _respond(send, 403, b"riskkit is locked: open it with the editor key first.")

    def _has_pass(self, scope: Scope) -> bool:
        given = _cookies(scope).get(EDITOR_COOKIE, "")
        return bool(given) and hmac.compare_digest(given.encode(), editor_pass(self.key).encode())

    async def _take_key_from_address(self, scope: Scope, send: Send, path: str,
                                     query: list[tuple[str, str]], given: str) -> None:
        """A bookmarked ?editor=KEY: take the key, then show the same address without it."""
        rest = [(name, value) for name, value in query if name != "editor"]
        back = safe_next(path + ("?" + urlencode(rest) if rest else ""))
        if hmac.compare_digest(given.encode(), self.key.encode()):
            await _respond(send, 303, b"", [(b"location", back.encode()),
                                            (b"set-cookie", _cookie(EDITOR_COOKIE, editor_pass(self.key),
                                                                    14 * 24 * 3600))])
        else:
            await asyncio.sleep(WRONG_KEY_DELAY_S)  # a guess a second at most per connection
            await _respond(send, 303, b"", [(b"location",
                                              f"/unlock?wrong=1&next={quote(back, safe='')}".encode())])


def request_origin_matches(scope: Scope) -> bool:
    """A form post from our own pages: its Origin (or Referer) names this host."""
    headers: dict[bytes, bytes] = dict(scope.get("headers", []))
    host = headers.get(b"host", b"").decode("latin-1")
    origin = headers.get(b"origin", b"").decode("latin-1")
    if origin and origin != "null":
        return origin.split("://", 1)[-1] == host
    return headers.get(b"sec-fetch-site", b"") == b"same-origin"


def safe_next(value: Any) -> str:
    """Where to go after unlocking: a path on this server, never another host."""
    text = str(value or "/")
    if not text.startswith("/") or text.startswith("//") or "\\" in text or any(ord(c) < 32 for c in text):
        return "/"
    return text[:2000]
