"""Routes on login sessions: log in (JSON or the OAuth2 password form), refresh, log out."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from application.identity.rate_limits import RateLimitedLogin
from application.identity.sessions import Logout, RefreshSession, TokenPair
from domain.identity.values import PASSWORD_MAX
from entrypoints.api.bodies import parse_json
from entrypoints.api.dependencies import client_ip, use
from entrypoints.api.identity.accounts import Email
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Strict, no_content
from entrypoints.container.identity import Identity

router = APIRouter(prefix="/api/v1", tags=["auth"], route_class=PrefixRoute)


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


def _tokens(pair: TokenPair) -> TokenOut:
    return TokenOut(access_token=pair.access_token, refresh_token=pair.refresh_token,
                    expires_in=pair.expires_in)


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


@router.post("/auth/login", response_model=TokenOut, openapi_extra={"requestBody": _LOGIN_BODY},
             responses=responses(401, 422, 429))
async def login(request: Request, body: LoginIn = Depends(_login_body),
                login: RateLimitedLogin = use(Identity.rate_limited_login)) -> TokenOut:
    """Log in with email or username and password (JSON, or the OAuth2 password form)."""
    return _tokens(await login(login=body.email or body.username or "", password=body.password,
                                client_ip=client_ip(request)))


@router.post("/auth/refresh", response_model=TokenOut, responses=responses(401, 422))
async def refresh(body: RefreshIn, refresh: RefreshSession = use(Identity.refresh_session)) -> TokenOut:
    """Spend a refresh token for a new pair; reusing a spent one revokes the whole session."""
    return _tokens(await refresh(body.refresh_token))


@router.post("/auth/logout", status_code=204, response_class=Response, responses=responses(422))
async def logout(body: RefreshIn, logout: Logout = use(Identity.logout)) -> Response:
    """End the session the refresh token belongs to."""
    await logout(body.refresh_token)
    return no_content()
