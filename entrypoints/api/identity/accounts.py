"""Routes on one's own account: register it, read and change the profile, change the password."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from application.identity.accounts import ChangePassword, GetAccount, UpdateProfile
from application.identity.rate_limits import RateLimitedRegister
from domain.identity.account import DEFAULT_CURRENCY, DEFAULT_TIME_ZONE, Account
from domain.identity.values import EMAIL_PATTERN, FULL_NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, USERNAME_PATTERN
from entrypoints.api.dependencies import Caller, LiveSession, client_ip, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Currency, Strict, TimeZone, no_content, trimmed
from entrypoints.container.identity import Identity

router = APIRouter(prefix="/api/v1", route_class=PrefixRoute)

Password = Annotated[str, Field(min_length=PASSWORD_MIN, max_length=PASSWORD_MAX)]
Username = Annotated[str, Field(pattern=USERNAME_PATTERN)]
Email = Annotated[str, Field(min_length=3, max_length=254, examples=["ada@example.com"],
                              json_schema_extra={"pattern": trimmed(EMAIL_PATTERN)})]  # the domain checks it
FullName = Annotated[str | None, Field(max_length=FULL_NAME_MAX)]


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


class ProfileIn(Strict):
    username: Username | None = None
    full_name: FullName = None
    time_zone: TimeZone | None = None
    currency: Currency | None = None


class PasswordChangeIn(Strict):
    current_password: Annotated[str, Field(max_length=PASSWORD_MAX)]
    new_password: Password


def _account(account: Account) -> AccountOut:
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


@router.get("/users/me", response_model=AccountOut, tags=["users"], responses=responses(401, 404))
async def me(caller: Caller, get_account: GetAccount = use(Identity.get_account)) -> AccountOut:
    """The caller's own account."""
    return _account(await get_account(caller.account_id))


@router.patch("/users/me", response_model=AccountOut, tags=["users"], responses=responses(401, 404, 409, 422))
async def update_me(body: ProfileIn, caller: Caller,
                    update: UpdateProfile = use(Identity.update_profile)) -> AccountOut:
    """Change username, full name, time zone or currency; `"full_name": null` clears the name."""
    return _account(await update(
        caller.account_id, username=body.username, full_name=body.full_name,
        clear_full_name="full_name" in body.model_fields_set and body.full_name is None,
        time_zone=body.time_zone, currency=body.currency,
    ))


@router.post("/users/me/password", status_code=204, response_class=Response, tags=["users"],
             responses=responses(401, 404, 409, 422))
async def change_password(body: PasswordChangeIn, caller: LiveSession,
                          change: ChangePassword = use(Identity.change_password)) -> Response:
    """Replace the password; every other session is logged out."""
    await change(caller.account_id, caller.session_id,
                 current_password=body.current_password, new_password=body.new_password)
    return no_content()
