"""The browser's session: one HttpOnly cookie holding a refresh token and an access token of one identity session
(refresh-token family), checked and renewed through identity's own use cases."""

import asyncio
import hashlib
import time
from dataclasses import dataclass
from uuid import UUID

from fastapi import Request, Response

from application.identity.ports import AccessClaims
from application.identity.sessions import TokenPair
from domain.identity.session import SessionEnded
from domain.shared.errors import AuthenticationFailed

SESSION_COOKIE = "atrium_session"
_GRACE_SECONDS = 30.0  # a refresh token just spent in this process answers its successor this long (parallel loads)


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in browser: whose account, which identity session, and the tokens its cookie holds."""

    account_id: UUID
    session_id: UUID
    refresh_token: str
    access_token: str


class SignInRequired(Exception):
    """The page needs a signed-in browser and this one is not (or its session has ended)."""


_renewed: dict[str, tuple[float, TokenPair]] = {}
_renewing = asyncio.Lock()


def _key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def current_session(request: Request) -> WebSession | None:
    """The browser's live session, renewing its access token through RefreshSession when it has expired; None when
    there is no cookie or its session has ended (logout, password change, a reused refresh token)."""
    if "web_session" in request.state._state:
        session: WebSession | None = request.state.web_session
        return session
    session = await _from_cookie(request)
    request.state.web_session = session
    return session


async def require_session(request: Request) -> WebSession:
    """current_session, or SignInRequired (the page answers with the sign-in form)."""
    session = await current_session(request)
    if session is None:
        raise SignInRequired()
    return session


async def _from_cookie(request: Request) -> WebSession | None:
    refresh, _, access = request.cookies.get(SESSION_COOKIE, "").partition(".")
    if not refresh or not access:
        return None
    identity = request.app.state.container.identity
    try:
        claims: AccessClaims = await identity.authenticate()(access)
    except SessionEnded:
        return None
    except AuthenticationFailed:  # expired (or unreadable): spend the refresh token for a new pair
        pair = await _refresh(request, refresh)
        if pair is None:
            return None
        request.state.renewed_session = True
        refresh, access = pair.refresh_token, pair.access_token
        try:
            claims = await identity.authenticate()(access)
        except AuthenticationFailed:
            return None
    request.state.account_id = str(claims.account_id)
    return WebSession(claims.account_id, claims.session_id, refresh, access)


async def _refresh(request: Request, refresh: str) -> TokenPair | None:
    """A new pair for `refresh`; two loads of one page at once in this process share one renewal instead of the
    second spending a spent token (which identity treats as theft and ends the session)."""
    async with _renewing:
        now = time.monotonic()
        for stale in [key for key, (at, _) in _renewed.items() if now - at > _GRACE_SECONDS]:
            del _renewed[stale]
        known = _renewed.get(_key(refresh))
        if known is not None:
            return known[1]
        try:
            pair: TokenPair = await request.app.state.container.identity.refresh_session()(refresh)
        except AuthenticationFailed:
            return None
        _renewed[_key(refresh)] = (now, pair)
        return pair


def set_session_cookie(request: Request, response: Response, pair: TokenPair | WebSession) -> None:
    """Put the session's tokens in the HttpOnly cookie (Secure when the page came over HTTPS, SameSite=Lax)."""
    days = request.app.state.container.settings().refresh_token_ttl_days
    value = f"{pair.refresh_token}.{pair.access_token}"
    response.set_cookie(SESSION_COOKIE, value, max_age=days * 86400, path="/", httponly=True,
                        secure=request.url.scheme == "https", samesite="lax")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def session_cookie_update(request: Request, response: Response) -> None:
    """After a page: the renewed tokens go back to the browser; an ended session's cookie is removed."""
    state = request.state._state
    if state.get("renewed_session") and state.get("web_session") is not None:
        set_session_cookie(request, response, state["web_session"])
    elif "web_session" in state and state["web_session"] is None and SESSION_COOKIE in request.cookies:
        clear_session_cookie(response)
