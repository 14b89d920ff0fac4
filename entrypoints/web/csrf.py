"""CSRF tokens for forms: a signed double submit. A random nonce lives in an HttpOnly cookie; every form carries
HMAC(key, nonce and the identity session), so a token neither outlives its session nor works in another browser."""

import hashlib
import hmac
import secrets

from fastapi import Request, Response

CSRF_COOKIE = "atrium_csrf"
CSRF_FIELD = "csrf"


class CsrfRefused(Exception):
    """A form arrived without this browser's token for its current session."""


def _key(request: Request) -> bytes:
    secret = request.app.state.container.settings().resolved_jwt_secret().encode()
    return hmac.new(secret, b"atrium web csrf", hashlib.sha256).digest()


def _nonce(request: Request) -> str:
    """This browser's nonce: its cookie's, else a new one (sent back by `csrf_cookie_update`)."""
    state = request.state._state
    if "csrf_nonce" not in state:
        given = request.cookies.get(CSRF_COOKIE, "")
        state["csrf_nonce"] = given if 16 <= len(given) <= 64 else secrets.token_urlsafe(24)
    nonce: str = state["csrf_nonce"]
    return nonce


def _session_part(request: Request) -> str:
    session = request.state._state.get("web_session")
    return str(session.session_id) if session is not None else "-"


def csrf_token(request: Request) -> str:
    """The token this browser's forms carry, for its current session (or none)."""
    message = f"{_nonce(request)}:{_session_part(request)}".encode()
    return hmac.new(_key(request), message, hashlib.sha256).hexdigest()


async def check_csrf(request: Request) -> None:
    """CsrfRefused unless the posted form's token is this browser's for its current session."""
    if CSRF_COOKIE not in request.cookies:
        raise CsrfRefused()
    given = (await request.form()).get(CSRF_FIELD)
    if not isinstance(given, str) or not hmac.compare_digest(given, csrf_token(request)):
        raise CsrfRefused()


def csrf_cookie_update(request: Request, response: Response) -> None:
    """Give the browser its nonce cookie when a page made one."""
    nonce = request.state._state.get("csrf_nonce")
    if nonce is not None and request.cookies.get(CSRF_COOKIE) != nonce:
        response.set_cookie(CSRF_COOKIE, nonce, path="/", httponly=True, secure=request.url.scheme == "https",
                            samesite="lax")
