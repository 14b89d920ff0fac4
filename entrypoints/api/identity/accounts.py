"""Routes of the identity context: registration, login sessions, one's own account."""

import json
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from application.identity.accounts import ChangePassword, GetAccount, UpdateProfile
from application.identity.ports import AccessClaims
from application.identity.rate_limits import RateLimitedLogin, RateLimitedRegister
from application.identity.sessions import Logout, RefreshSession, TokenPair
from domain.identity.account import DEFAULT_CURRENCY, DEFAULT_TIME_ZONE
from domain.identity.values import EMAIL_PATTERN, FULL_NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN
from entrypoints.api.bodies import parse_json
from entrypoints.api.dependencies import client_ip, current_caller, current_live_session, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Strict, trimmed
from entrypoints.container.identity import Identity

router = APIRouter(prefix="/api/v1", route_class=PrefixRoute)

Password = Annotated[str, Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)]
Username = Annotated[str, Field(pattern=USERNAME_PATTERN)]
Email = Annotated[str, Field(min_length=3, max_length=254, examples=["ada@example.com"],
                              json_schema_extra={"pattern": trimmed(EMAIL_PATTERN)})]  # the domain checks it
FullName = Annotated[str | None, Field(max_length=FULL_NAME_MAX)]


TimeZone = Annotated[str, Field(min_length=1, max_length=64, examples=["Europe/Oslo"],
                                description="IANA time zone name")]
Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", examples=["EUR"], description="ISO 4217 code")]


class RegisterIn(Strict):
    email: Email
    username: Username
    password: Password
    full_name: FullName = None
    time_zone: TimeZone = DEFAULT_TIME_ZONE
    currency: Currency = DEFAULT_CURRENCY


class AccountOut(BaseModel):
    id: UUID
    email: str
    username: str
    full_name: str | None
    time_zone: str
    currency: str
    created_at: datetime


class LoginIn(Strict):
    model_config = ConfigDict(json_schema_extra={"oneOf": [  # exactly one of them, as `one_login` checks
        {"required": [name], "properties": {name: {"not": {"type": "null"}}}} for name in ("email", "username")]})

    email: Email | None = None
    username: Annotated[str | None, Field(max_length=254)] = None
    password: Annotated[str, Field(max_length=PASSWORD_MAX)]

    @model_validator(mode="after")
    def one_login(self) -> "LoginIn":
        if (self.email is None) == (self.username is None):
            raise ValueError("give exactly one of email or username")
        return self


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class RefreshIn(Strict):
    refresh_token: Annotated[str, Field(min_length=1, max_length=512)]


class ProfileIn(Strict):
    username: Username | None = None
    full_name: FullName = None
    time_zone: TimeZone | None = None
    currency: Currency | None = None


class PasswordChangeIn(Strict):
    current_password: Annotated[str, Field(max_length=PASSWORD_MAX)]
    new_password: Password


def _tokens(pair: TokenPair) -> TokenOut:
    return TokenOut(access_token=pair.access_token, refresh_token=pair.refresh_token,
                    expires_in=pair.expires_in)


def _account(account) -> AccountOut:
    return AccountOut(id=account.id, email=account.email, username=account.username,
                      full_name=account.full_name, time_zone=account.time_zone,
                      currency=account.currency, created_at=account.created_at)


@router.post("/auth/register", status_code=201, response_model=AccountOut, tags=["auth"],
             responses=responses(409, 422, 429))
async def register(body: RegisterIn, request: Request,
                   register: RateLimitedRegister = use(Identity.rate_limited_register)) -> AccountOut:
    """Create an account; email (case-insensitive) and username must be free."""
    return _account(await register(client_ip=client_ip(request),
                                   email=body.email, username=body.username, password=body.password,
                                   full_name=body.full_name, time_zone=body.time_zone, currency=body.currency))


_LOGIN_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": LoginIn.model_json_schema(ref_template="#/components/schemas/{model}")},
        "application/x-www-form-urlencoded": {"schema": {
            "type": "object", "required": ["username", "password"],
            "properties": {"grant_type": {"type": "string", "enum": ["password"]},
                           "username": {"type": "string", "description": "email or username", "maxLength": 254},
                           "password": {"type": "string", "maxLength": PASSWORD_MAX}},
        }},
    },
}


async def _login_body(request: Request) -> LoginIn:
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            if form.get("grant_type") not in (None, "password"):  # as the OAuth2 password form publishes it
                raise RequestValidationError([{"loc": ("body", "grant_type"), "msg": "must be 'password'",
                                               "type": "literal_error"}])
            data: Any = {"username": form.get("username"), "password": form.get("password")}
        else:
            data = parse_json(await request.body() or b"null")
        return LoginIn.model_validate(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RequestValidationError([{"loc": ("body",), "msg": f"invalid JSON: {error}",
                                       "type": "json_invalid"}]) from None
    except ValidationError as error:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in error.errors(include_input=False)]) from None


@router.post("/auth/login", response_model=TokenOut, tags=["auth"], openapi_extra={"requestBody": _LOGIN_BODY},
             responses=responses(401, 422, 429))
async def login(request: Request, body: LoginIn = Depends(_login_body),
                login: RateLimitedLogin = use(Identity.rate_limited_login)) -> TokenOut:
    """Log in with email or username and password (JSON, or the OAuth2 password form)."""
    return _tokens(await login(login=body.email or body.username or "", password=body.password,
                                client_ip=client_ip(request)))


@router.post("/auth/refresh", response_model=TokenOut, tags=["auth"], responses=responses(401, 422))
async def refresh(body: RefreshIn, refresh: RefreshSession = use(Identity.refresh_session)) -> TokenOut:
    """Spend a refresh token for a new pair; reusing a spent one revokes the whole session."""
    return _tokens(await refresh(body.refresh_token))


@router.post("/auth/logout", status_code=204, response_class=Response, tags=["auth"], responses=responses(422))
async def logout(body: RefreshIn, logout: Logout = use(Identity.logout)) -> Response:
    """End the session the refresh token belongs to."""
    await logout(body.refresh_token)
    return Response(status_code=204)


@router.get("/users/me", response_model=AccountOut, tags=["users"], responses=responses(401, 404))
async def me(caller: AccessClaims = Depends(current_caller),
             get_account: GetAccount = use(Identity.get_account)) -> AccountOut:
    """The caller's own account."""
    return _account(await get_account(caller.account_id))


@router.patch("/users/me", response_model=AccountOut, tags=["users"], responses=responses(401, 404, 409, 422))
async def update_me(body: ProfileIn, caller: AccessClaims = Depends(current_caller),
                    update: UpdateProfile = use(Identity.update_profile)) -> AccountOut:
    """Change username, full name, time zone or currency; `"full_name": null` clears the name."""
    return _account(await update(
        caller.account_id, username=body.username, full_name=body.full_name,
        clear_full_name="full_name" in body.model_fields_set and body.full_name is None,
        time_zone=body.time_zone, currency=body.currency,
    ))


@router.post("/users/me/password", status_code=204, response_class=Response, tags=["users"],
             responses=responses(401, 404, 409, 422))
async def change_password(body: PasswordChangeIn, caller: AccessClaims = Depends(current_live_session),
                          change: ChangePassword = use(Identity.change_password)) -> Response:
    """Replace the password; every other session is logged out."""
    await change(caller.account_id, caller.session_id,
                 current_password=body.current_password, new_password=body.new_password)
    return Response(status_code=204)
