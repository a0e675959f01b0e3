"""The outermost layer of the web app: what every request passes before anything reads it.

A pure ASGI wrapper around our FastAPI app (and the Gradio pages mounted in it), so that it
sees every request and every response, errors included:
- the client's address: the socket's peer, or, only when that peer is a configured proxy
  (INTERVIEWER_TRUSTED_PROXIES), the address the proxy reports in X-Forwarded-For; forwarded
  headers from anyone else are dropped before the app sees them;
- the request's size before its body is read: a declared length over the route's limit gets
  413 at once, a body without a declared length gets 411, and an upload with more files than
  allowed is refused while it streams;
- a request rate per client address (429), counted where every process sees it;
- the routes that describe every endpoint to strangers (/gradio_api/info, /openapi.json) are
  not served;
- security headers on every response (500s too), and no cross-origin grants.
"""

from __future__ import annotations

import ipaddress
import json
import stat
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool

from bot.staff.rates import RateLimiter, SharedRateLimiter

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

UPLOAD_PATH = "/gradio_api/upload"
API_PREFIX = "/api/"
HIDDEN = ("/gradio_api/info", "/info", "/openapi.json", "/gradio_api/openapi.json", "/docs")
BODY_METHODS = {"POST", "PUT", "PATCH"}
FORWARDED = (b"x-forwarded-", b"forwarded", b"x-real-ip")


@dataclass(frozen=True)
class Limits:
    """Bytes a request body may carry, by route, and the files one upload may hold."""

    upload_bytes: int
    upload_files: int
    api_bytes: int
    other_bytes: int
    requests_per_minute: int
    uploads_per_window: int = 30
    upload_window_s: float = 600

    def body_limit(self, path: str) -> int:
        if path.startswith(UPLOAD_PATH):
            return self.upload_bytes
        if path.startswith(API_PREFIX):
            return self.api_bytes
        return self.other_bytes


def trusted_networks(setting: str) -> list[Any]:
    """INTERVIEWER_TRUSTED_PROXIES: addresses or networks, separated by commas."""
    out = []
    for part in setting.replace(" ", "").split(","):
        if part:
            out.append(ipaddress.ip_network(part, strict=False))
    return out


def client_address(peer: str, forwarded_for: str, trusted: list[Any]) -> str:
    """The address to count a request against: the peer, unless the peer is a trusted proxy;
    then the right-most address in X-Forwarded-For that is not itself a trusted proxy (what
    the proxy saw; anything further left the client could have written)."""
    if not trusted or not _is_trusted(peer, trusted) or not forwarded_for:
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if not _is_trusted(hop, trusted):
            return hop
    return peer


def _is_trusted(address: str, trusted: list[Any]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


class Guard:
    """The ASGI wrapper; `headers` are added to every response."""

    def __init__(
        self, app: App, limits: Limits, headers: dict[str, str], trusted: list[Any],
        rates: RateLimiter | SharedRateLimiter,
    ) -> None:  # fmt: skip
        self.app = app
        self.limits = limits
        self.headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        self.trusted = trusted
        self.rates = rates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = [(k.lower(), v) for k, v in scope.get("headers", [])]
        peer = (scope.get("client") or ("unknown", 0))[0]
        forwarded = b",".join(v for k, v in headers if k == b"x-forwarded-for").decode("latin-1")
        client = client_address(peer, forwarded, self.trusted)
        if not (self.trusted and _is_trusted(peer, self.trusted)):
            # A stranger's forwarded headers would steer Gradio's own URLs: drop them.
            headers = [(k, v) for k, v in headers if not k.startswith(FORWARDED)]
        scope = dict(scope, headers=headers, client=(client, (scope.get("client") or ("", 0))[1]))
        started = {"yes": False}
        send = self._with_headers(send, started)
        path = scope.get("path", "")
        if path.rstrip("/") in HIDDEN:
            await _reply(send, 404, "not found")
            return
        method = scope.get("method", "GET")
        if method in BODY_METHODS:
            # Counted in the database: off the event loop, which a busy writer would stall.
            allow = self.rates.allow
            if not await run_in_threadpool(allow, f"req:{client}", self.limits.requests_per_minute,
                                           60):  # fmt: skip
                await _reply(send, 429, "too many requests from this address; wait a minute")
                return
            refused = self._size_problem(path, headers)
            if refused is not None:
                status, error, declared = refused
                if status == 413 and declared <= 2 * self.limits.body_limit(path):
                    await _drain(receive)  # a file a little too large: say so readably
                await _reply(send, status, error)
                return
            if path.startswith(UPLOAD_PATH):
                limits = self.limits
                window = (limits.uploads_per_window, limits.upload_window_s)
                if not await run_in_threadpool(allow, f"upload:{client}", *window):
                    await _reply(send, 429, "too many uploads from this address; wait a few "
                                 "minutes")  # fmt: skip
                    return
                receive = _counting_files(receive, headers, limits.upload_files)
        await self.app(scope, receive, send)

    def _size_problem(
        self, path: str, headers: list[tuple[bytes, bytes]]
    ) -> tuple[int, str, int] | None:
        declared = next((v for k, v in headers if k == b"content-length"), None)
        if declared is None:
            if any(k == b"transfer-encoding" for k, _ in headers):
                return 411, "send the body with a Content-Length", 0
            return None
        try:
            size = int(declared)
        except ValueError:
            return 400, "the Content-Length is not a number", 0
        limit = self.limits.body_limit(path)
        if size > limit:
            kb = f"the request is {size // 1024} KB; the limit here is {limit // 1024} KB"
            return 413, kb, size
        return None

    def _with_headers(self, send: Send, started: dict[str, bool]) -> Send:
        ours = self.headers

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                started["yes"] = True
                kept = [
                    (k, v) for k, v in message.get("headers", [])
                    if not k.lower().startswith(b"access-control-allow-")
                    and k.lower() not in {k2 for k2, _ in ours}
                ]  # fmt: skip
                message = dict(message, headers=kept + ours)
            await send(message)

        return sending


def _counting_files(receive: Receive, headers: list[tuple[bytes, bytes]], most: int) -> Receive:
    """A receive that refuses (413, through the app's own error handling) once the multipart
    body holds more than `most` files, before the rest is read."""
    from starlette.exceptions import HTTPException

    kind = next((v for k, v in headers if k == b"content-type"), b"").decode("latin-1")
    boundary = kind.split("boundary=", 1)[1].split(";")[0].strip('"') if "boundary=" in kind else ""
    marker = f"--{boundary}".encode()
    seen = {"parts": 0, "tail": b""}

    async def counted() -> Message:
        message = await receive()
        if boundary and message.get("type") == "http.request":
            chunk = seen["tail"] + message.get("body", b"")
            seen["parts"] += chunk.count(marker)
            seen["tail"] = chunk[-(len(marker) - 1):] if len(marker) > 1 else b""
            # n parts are framed by n + 1 boundary lines (the last one closes the body)
            if seen["parts"] - 1 > most:
                raise HTTPException(413, f"at most {most} files in one upload")
        return message

    return counted


async def _drain(receive: Receive) -> None:
    """Read and drop the body of a request refused for its size, before answering: a browser
    that sent a file a little too large then reads the 413 rather than a broken connection.
    Only for bodies up to twice the limit (bigger ones are answered at once and cut off);
    nothing read is kept."""
    while True:
        message = await receive()
        if message.get("type") != "http.request" or not message.get("more_body"):
            return


async def _reply(send: Send, status: int, error: str) -> None:
    body = json.dumps({"error": error}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


def uploaded_file(path: Path) -> bool:
    """True for a regular file inside Gradio's upload folder (what a page's upload made),
    never a link, a device or anything a request named elsewhere."""
    from gradio.utils import get_upload_folder

    try:
        folder = Path(get_upload_folder()).resolve()
        info = path.lstat()
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return stat.S_ISREG(info.st_mode) and resolved.is_relative_to(folder)
