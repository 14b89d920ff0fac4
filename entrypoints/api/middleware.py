"""Pure ASGI middleware around every request, one small piece per job: the request id, the body size limits, the
safety headers, the 500 problem for an error nothing else handled, and one record of each request (metrics and an
access-log line, by route template, never by path: a feed URL's path is its secret)."""

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
    """Echoes or creates `X-Request-ID`, answers 413 above the size limits, puts the safety headers on every answer,
    answers 500 for an error nothing handled, and records each request once; `observe` (None: metrics off) gets
    method, route, status and seconds of each request, and `access_log` (False: off) says whether it is logged."""

    def __init__(self, app: ASGIApp, *, max_json_bytes: int, max_upload_bytes: int,
                 observe: Callable[[str, str, int, float], None] | None, access_log: bool = True) -> None:
        self.app = app
        self.max_json_bytes = max_json_bytes
        self.max_upload_bytes = max_upload_bytes
        self.observe = observe
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        request_id = _request_id(headers)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        body = _LimitedBody(receive, self._limit(headers))
        answer = _Answer(send, request_id, body)
        started = time.perf_counter()
        try:
            await self._serve(scope, _declared_length(headers), body, answer)
        finally:
            self._record(scope, request_id, answer.status, time.perf_counter() - started, state.get("account_id"))

    def _limit(self, headers: dict[bytes, bytes]) -> int:
        """The most body bytes this request may send: uploads (multipart) have their own limit."""
        if headers.get(b"content-type", b"").startswith(b"multipart/"):
            return self.max_upload_bytes
        return self.max_json_bytes

    async def _serve(self, scope: Scope, declared: int, body: "_LimitedBody", answer: "_Answer") -> None:
        """Run the app; a body over the limit answers 413 and an error nothing handled 500, unless the app's own
        answer has begun (then the error goes on to the server)."""
        try:
            if declared > body.limit:
                raise _TooLarge()
            await self.app(scope, body.receive, answer.send)
        except _TooLarge:
            if answer.started:
                raise
            await _payload_too_large(answer.send_as_is, body.limit)
        except Exception:
            if answer.started:
                raise
            error_log.exception("unhandled error", extra={"fields": {
                "request_id": answer.request_id, "method": scope["method"], "route": _route(scope)}})
            await problem(500, "internal_error", "Internal server error", "something went wrong on our side")(
                scope, body.receive, answer.send_as_is)

    def _record(self, scope: Scope, request_id: str, status: int, seconds: float, account_id: str | None) -> None:
        """The request's metrics and its one access-log line."""
        route = _route(scope)
        if self.observe is not None:
            self.observe(scope["method"], route, status, seconds)
        if self.access_log and access_log.isEnabledFor(logging.INFO):  # formatted and written off this path
            access_log.handle(access_log.makeRecord(access_log.name, logging.INFO, __file__, 0, "request", (), None,
                                                    extra={"fields": {
                                                        "request_id": request_id,
                                                        "method": scope["method"],
                                                        "route": route,
                                                        "status": status,
                                                        "duration_ms": round(seconds * 1000, 2),
                                                        "account_id": account_id,
                                                    }}))


class _LimitedBody:
    """The request's `receive`, which raises _TooLarge once the body has passed `limit` bytes."""

    __slots__ = ("_receive", "limit", "received", "exceeded")

    def __init__(self, receive: Receive, limit: int) -> None:
        self._receive = receive
        self.limit = limit
        self.received = 0
        self.exceeded = False

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            if self.received > self.limit:
                self.exceeded = True
                raise _TooLarge()
        return message


class _Answer:
    """The request's `send`: notes the status, adds the request id and safety headers to the answer's start, and,
    once the body went over its limit, answers 413 in place of whatever the app answers."""

    __slots__ = ("_send", "request_id", "_body", "status", "started")

    def __init__(self, send: Send, request_id: str, body: _LimitedBody) -> None:
        self._send = send
        self.request_id = request_id
        self._body = body
        self.status = 500  # until an answer starts
        self.started = False

    async def send(self, message: Message) -> None:
        if self._body.exceeded:  # the app answered a body cut off at the limit: answer 413 instead, once
            if message["type"] == "http.response.start":
                await _payload_too_large(self.send_as_is, self._body.limit)
            return
        await self.send_as_is(message)

    async def send_as_is(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status, self.started = message["status"], True
            message["headers"] = _with_safety_headers(message.get("headers", []), self.request_id)
        await self._send(message)


def _request_id(headers: dict[bytes, bytes]) -> str:
    """The client's `X-Request-ID` when it is a plain token of at most 128 characters, else a new one."""
    given = headers.get(b"x-request-id", b"").decode("latin-1")
    return given if _REQUEST_ID.fullmatch(given) else f"{_PROCESS}{next(_SEQUENCE):016x}"


def _declared_length(headers: dict[bytes, bytes]) -> int:
    """The body length the request declares (Content-Length), 0 when it declares none or nonsense."""
    try:
        return int(headers.get(b"content-length", b"0") or 0)
    except ValueError:
        return 0


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
