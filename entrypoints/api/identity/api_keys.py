"""Routes on API keys (managed with a user access token; the secret is shown once)."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import AwareDatetime, BaseModel, Field

from application.identity.api_keys import CreateApiKey, IssuedApiKey, ListApiKeys, RevokeApiKey, RollApiKey
from domain.identity.api_key import GRACE_MAX, NAME_MAX, QUOTA_MAX, QUOTA_MIN, ApiKey
from entrypoints.api.dependencies import Caller, LiveSession, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import NO_CONTROL_CHARACTERS, JsonInteger, Page, Strict, no_content
from entrypoints.container.identity import Identity

router = APIRouter(prefix="/api/v1", tags=["api-keys"], route_class=PrefixRoute)


class ApiKeyIn(Strict):
    name: Annotated[str, Field(min_length=1, max_length=NAME_MAX, examples=["ci"],
                               json_schema_extra={"pattern": NO_CONTROL_CHARACTERS})]
    daily_quota: Annotated[int | None, Field(ge=QUOTA_MIN, le=QUOTA_MAX,
                                             description="units per UTC day; default: the server's")] = None
    expires_at: AwareDatetime | None = None


class RollIn(Strict):
    grace_seconds: Annotated[int, Field(ge=0, le=int(GRACE_MAX.total_seconds()),
                                        description="how long the old secret keeps working"), JsonInteger] = 0


class ApiKeyOut(BaseModel):
    id: UUID
    name: str
    prefix: str
    daily_quota: int
    is_active: bool
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    previous_expires_at: datetime | None = Field(description="when the secret replaced by the last roll stops working")


class ApiKeyList(Page[ApiKeyOut]):
    pass


class IssuedApiKeyOut(BaseModel):
    id: UUID
    name: str
    key: str = Field(description="the secret, shown this once: store it now")
    prefix: str
    daily_quota: int
    expires_at: datetime | None
    created_at: datetime
    previous_expires_at: datetime | None


def _key(key: ApiKey) -> ApiKeyOut:
    return ApiKeyOut(id=key.id, name=key.name, prefix=key.prefix, daily_quota=key.daily_quota,
                     is_active=key.is_active, created_at=key.created_at, expires_at=key.expires_at,
                     last_used_at=key.last_used_at, revoked_at=key.revoked_at,
                     previous_expires_at=key.previous_expires_at)


def _issued(issued: IssuedApiKey) -> IssuedApiKeyOut:
    key = issued.key
    return IssuedApiKeyOut(id=key.id, name=key.name, key=issued.secret, prefix=key.prefix,
                           daily_quota=key.daily_quota, expires_at=key.expires_at, created_at=key.created_at,
                           previous_expires_at=key.previous_expires_at)


@router.post("/api-keys", status_code=201, response_model=IssuedApiKeyOut, responses=responses(401, 409, 422))
async def create_api_key(body: ApiKeyIn, caller: LiveSession,
                         create: CreateApiKey = use(Identity.create_api_key)) -> IssuedApiKeyOut:
    """Issue a key; `key` is shown only in this answer. At most 20 usable keys per account (409)."""
    return _issued(await create(caller.account_id, name=body.name, daily_quota=body.daily_quota,
                                expires_at=body.expires_at))


@router.get("/api-keys", response_model=ApiKeyList, responses=responses(401))
async def list_api_keys(caller: Caller, list_keys: ListApiKeys = use(Identity.list_api_keys)) -> ApiKeyList:
    """The caller's keys, newest first, revoked ones included; never a secret."""
    return ApiKeyList(items=[_key(key) for key in await list_keys(caller.account_id)], next_cursor=None)


@router.delete("/api-keys/{api_key_id}", status_code=204, response_class=Response, responses=responses(401, 404))
async def revoke_api_key(api_key_id: UUID, caller: Caller,
                         revoke: RevokeApiKey = use(Identity.revoke_api_key)) -> Response:
    """Revoke the key for good (it stays listed); its requests then get 401 key_revoked."""
    await revoke(caller.account_id, api_key_id)
    return no_content()


@router.post("/api-keys/{api_key_id}/roll", response_model=IssuedApiKeyOut, responses=responses(401, 404, 409, 422))
async def roll_api_key(api_key_id: UUID, caller: LiveSession, body: RollIn | None = None,
                       roll: RollApiKey = use(Identity.roll_api_key)) -> IssuedApiKeyOut:
    """Issue a new secret for the key (same id and quota); the old one works for `grace_seconds`, then 401."""
    grace = body.grace_seconds if body is not None else 0
    return _issued(await roll(caller.account_id, api_key_id, grace_seconds=grace))
