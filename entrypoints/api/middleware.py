"""Pure ASGI middleware: request ids, safety headers, one access-log line per request, body size limits, and the
500 problem for an error nothing else handled (logged by route template, never by path: a feed URL's path is its
secret)."""

import itertools
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from entrypoints.api.problems import problem

access_log = logging.getLogger("atrium.access")
error_log = logging.getLogger("atrium.api")

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_PROCESS = secrets.token_hex(8)  # request ids: unique per process (random) and per request (a counter)
_SEQUENCE = itertools.count(1)


def _new_process_prefix() -> None:
    global _PROCESS
    _PROCESS = secrets.token_hex(8)


os.register_at_fork(after_in_child=_new_process_prefix)  # a forked worker must not repeat its parent's ids


class _TooLarge(Exception):
    pass


class RequestContext:
    """Echoes or creates `X-Request-ID`, logs each request once, answers 413 above the size limits;
    `observe` (None: metrics off) gets method, route, status and seconds of each request."""

    def __init__(self, app: ASGIApp, *, max_json_bytes: int, max_upload_bytes: int,
                 observe: Callable[[str, str, int, float], None] | None) -> None:
        self.app = app
        self.max_json_bytes = max_json_bytes
        self.max_upload_bytes = max_upload_bytes
        self.observe = observe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.fullmatch(given) else f"{_PROCESS}{next(_SEQUENCE):016x}"
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        limit = (self.max_upload_bytes if headers.get(b"content-type", b"").startswith(b"multipart/")
                 else self.max_json_bytes)
        started = time.perf_counter()
        response = {"status": 500, "started": False}

        exceeded = False
        received = 0

        async def send_with_id(message: Message) -> None:
            if exceeded:  # the app answered a body cut off at the limit: answer 413 instead, once
                if message["type"] == "http.response.start":
                    await _payload_too_large(send_with_id_raw, limit)
                return
            await send_with_id_raw(message)

        async def send_with_id_raw(message: Message) -> None:
            if message["type"] == "http.response.start":
                response["status"], response["started"] = message["status"], True
                message["headers"] = _with_safety_headers(message.get("headers", []), request_id)
            await send(message)

        async def receive_limited() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _TooLarge()
            return message

        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            declared = 0
        try:
            if declared > limit:
                raise _TooLarge()
            await self.app(scope, receive_limited, send_with_id)
        except _TooLarge:
            if response["started"]:
                raise
            await _payload_too_large(send_with_id_raw, limit)
        except Exception:
            if response["started"]:
                raise
            error_log.exception("unhandled error", extra={"fields": {
                "request_id": request_id, "method": scope["method"], "route": _route(scope)}})
            await problem(500, "internal_error", "Internal server error", "something went wrong on our side")(
                scope, receive, send_with_id_raw)
        finally:
            seconds = time.perf_counter() - started
            route = _route(scope)
            if self.observe is not None:
                self.observe(scope["method"], route, response["status"], seconds)
            if access_log.isEnabledFor(logging.INFO):
                access_log.info("request", extra={"fields": {
                    "request_id": request_id,
                    "method": scope["method"],
                    "route": route,
                    "status": response["status"],
                    "duration_ms": round(seconds * 1000, 2),
                    "account_id": state.get("account_id"),
                }})


def _with_safety_headers(headers: list[tuple[bytes, bytes]], request_id: str) -> list[tuple[bytes, bytes]]:
    """The request id, `nosniff` on every response, and `no-store` on every response that names no caching of
    its own: tokens, API keys, webhook secrets and feed URLs are answered by API routes, and no API answer is
    meant for a shared cache."""
    added = [(b"x-request-id", request_id.encode()), (b"x-content-type-options", b"nosniff")]
    if not any(name.lower() == b"cache-control" for name, _ in headers):
        added.append((b"cache-control", b"no-store"))
    return [*headers, *added]


def _route(scope: Scope) -> str:
    """The matched route's template (`/api/v1/calendar-feeds/{token}.ics`), never the path."""
    return getattr(scope.get("route"), "path", None) or "unmatched"


async def _payload_too_large(send: Send, limit: int) -> None:
    body = json.dumps({"type": "urn:atrium:problem:payload_too_large", "title": "Payload too large",
                       "status": 413, "detail": f"the request body must be at most {limit} bytes",
                       "code": "payload_too_large"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/problem+json"),
                            (b"content-length", str(len(body)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})
