"""Signing in, creating an account, signing out and changing the password: identity's own use cases (and limits)
behind forms."""

from fastapi import Request, Response

from application.identity.ports import AccessClaims
from application.identity.sessions import TokenPair
from domain.identity.account import DEFAULT_CURRENCY, DEFAULT_TIME_ZONE
from domain.shared.errors import DomainError
from entrypoints.api.dependencies import client_ip
from entrypoints.web.page_route import page_router
from entrypoints.web.pages.home import home_page
from entrypoints.web.rendering import Session, container, form_failed, form_values, redirect, render
from entrypoints.web.session import clear_session_cookie, current_session, set_session_cookie

router = page_router()


def _next(request: Request) -> str:
    """Where to go after signing in: a path on this site only."""
    target = request.query_params.get("next", "/")
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


@router.get("/")
async def front(request: Request) -> Response:
    """The home page when signed in, else the sign-in and create-account forms."""
    session = await current_session(request)
    if session is not None:
        return await home_page(request, session)
    return render(request, "auth/sign_in.html", next=_next(request), values={}, time_zone=DEFAULT_TIME_ZONE,
                  currency=DEFAULT_CURRENCY)


async def _signed_in(request: Request, pair: TokenPair) -> Response:
    response = redirect(_next(request))
    set_session_cookie(request, response, pair)
    return response


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    """Log in with email or username and password, under the API's login limits."""
    values = await form_values(request)
    try:
        pair = await container(request).identity.rate_limited_login()(
            login=values.get("login", ""), password=await _password(request), client_ip=client_ip(request))
    except DomainError as error:
        return form_failed(request, "auth/sign_in.html", error, prefix="sign_in_", next=_next(request),
                           values={"login": values.get("login", "")})
    return await _signed_in(request, pair)


@router.post("/register")
async def register(request: Request) -> Response:
    """Create an account (the API's rules and limits), then sign in to it."""
    values = await form_values(request)
    identity = container(request).identity
    try:
        await identity.rate_limited_register()(
            client_ip=client_ip(request), email=values.get("email", ""), username=values.get("username", ""),
            password=await _password(request), full_name=values.get("full_name") or None,
            time_zone=values.get("time_zone") or None, currency=values.get("currency") or None)
        pair = await identity.login()(login=values.get("email", ""), password=await _password(request),
                                      client_address=client_ip(request))
    except DomainError as error:
        values.pop("password", None)
        return form_failed(request, "auth/sign_in.html", error, prefix="register_", next=_next(request),
                           values=values)
    return await _signed_in(request, pair)


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    """End the session (identity's Logout) and forget the cookie."""
    session = await current_session(request)
    if session is not None:
        await container(request).identity.logout()(session.refresh_token)
    response = redirect("/")
    clear_session_cookie(response)
    return response


@router.get("/account")
async def account(request: Request, session: Session) -> Response:
    """The account and the password form."""
    found = await container(request).identity.get_account()(session.account_id)
    return render(request, "auth/account.html", account=found, values={},
                  saved=request.query_params.get("saved") == "1")


@router.post("/account/profile")
async def update_profile(request: Request, session: Session) -> Response:
    """Change username, full name (empty clears it), time zone or currency."""
    values = await form_values(request)
    identity = container(request).identity
    try:
        await identity.update_profile()(
            session.account_id, username=values.get("username") or None, full_name=values.get("full_name") or None,
            clear_full_name=not values.get("full_name"), time_zone=values.get("time_zone") or None,
            currency=values.get("currency") or None)
    except DomainError as error:
        return form_failed(request, "auth/account.html", error, prefix="profile_", values=values,
                           account=await identity.get_account()(session.account_id))
    return redirect("/account?saved=1")


@router.post("/account/password")
async def change_password(request: Request, session: Session) -> Response:
    """Replace the password; every other session ends (identity's ChangePassword)."""
    identity = container(request).identity
    try:
        await identity.require_live_session()(AccessClaims(account_id=session.account_id,
                                                           session_id=session.session_id))
        await identity.change_password()(session.account_id, session.session_id,
                                         current_password=await _password(request, "current_password"),
                                         new_password=await _password(request, "new_password"))
    except DomainError as error:
        return form_failed(request, "auth/account.html", error, values={},
                           account=await identity.get_account()(session.account_id))
    found = await identity.get_account()(session.account_id)
    return render(request, "auth/account.html", account=found, values={}, changed=True)


async def _password(request: Request, name: str = "password") -> str:
    """A password field as typed (never trimmed)."""
    value = (await request.form()).get(name)
    return value if isinstance(value, str) else ""
