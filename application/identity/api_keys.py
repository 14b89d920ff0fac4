"""Use cases for API keys: create, list, revoke, roll, and authenticating a presented key."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from application.identity.ports import (
    ApiKeyCaller,
    ApiKeyUnitOfWork,
    RandomSource,
    RateLimiter,
)
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.unit_of_work import Purpose, UowFactory
from domain.identity.api_key import (
    KEY_BYTES,
    MAX_ACTIVE_KEYS,
    ApiKey,
    ApiKeyInvalid,
    ApiKeyNotFound,
    TooManyApiKeys,
    looks_like_secret,
    new_secret,
)
from domain.identity.rate_limit import RateLimit, RateLimited
from domain.identity.session import hash_secret

DEFAULT_DAILY_QUOTA = 100


@dataclass(frozen=True, slots=True)
class IssuedApiKey:
    """A key with its secret, which is shown this once and never stored."""

    key: ApiKey
    secret: str = field(repr=False)


@dataclass
class CreateApiKey:
    """Issue a new key for the owner; at most 20 usable keys per account (TooManyApiKeys)."""

    uow: UowFactory[ApiKeyUnitOfWork]
    clock: Clock
    ids: IdGenerator
    random: RandomSource
    default_daily_quota: int = DEFAULT_DAILY_QUOTA

    async def __call__(
        self, owner_id: UUID, *, name: str, daily_quota: int | None = None,
        expires_at: datetime | None = None,
    ) -> IssuedApiKey:
        now = self.clock.now()
        secret = new_secret(self.random.token_bytes(KEY_BYTES))
        key = ApiKey.issue(
            id=self.ids.new_id(), owner_id=owner_id, name=name, secret=secret,
            daily_quota=self.default_daily_quota if daily_quota is None else daily_quota,
            expires_at=expires_at, now=now,
        )
        async with self.uow(account=owner_id) as uow:
            if await uow.api_keys.count_usable(owner_id, now) >= MAX_ACTIVE_KEYS:
                raise TooManyApiKeys()
            await uow.api_keys.add(key)
            await uow.commit()
        return IssuedApiKey(key, secret)


@dataclass
class ListApiKeys:
    """The owner's keys, newest first, revoked ones included; never a secret."""

    uow: UowFactory[ApiKeyUnitOfWork]

    async def __call__(self, owner_id: UUID) -> list[ApiKey]:
        async with self.uow(account=owner_id) as uow:
            return await uow.api_keys.list(owner_id)


@dataclass
class RevokeApiKey:
    """Make the key unusable for good; it stays listed for audit. Revoking twice changes nothing."""

    uow: UowFactory[ApiKeyUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, key_id: UUID) -> None:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            key = await uow.api_keys.get(owner_id, key_id)
            if key is None:
                raise ApiKeyNotFound()
            if key.is_active:
                await uow.api_keys.save(key.revoke(now))
                await uow.commit()


@dataclass
class RollApiKey:
    """Give the key a new secret; the old one keeps working for `grace_seconds`, then answers key_expired."""

    uow: UowFactory[ApiKeyUnitOfWork]
    clock: Clock
    random: RandomSource

    async def __call__(self, owner_id: UUID, key_id: UUID, *, grace_seconds: int = 0) -> IssuedApiKey:
        now = self.clock.now()
        secret = new_secret(self.random.token_bytes(KEY_BYTES))
        async with self.uow(account=owner_id) as uow:
            key = await uow.api_keys.get(owner_id, key_id)
            if key is None:
                raise ApiKeyNotFound()
            key = key.roll(secret, now, timedelta(seconds=grace_seconds))
            await uow.api_keys.save(key)
            await uow.commit()
        return IssuedApiKey(key, secret)


@dataclass
class AuthenticateApiKey:
    """Check a presented key in Unkey's order: unknown, revoked, expired, rate limited (per key); return the caller."""

    uow: UowFactory[ApiKeyUnitOfWork]
    clock: Clock
    limiter: RateLimiter
    rate_limit: RateLimit

    async def __call__(self, secret: str) -> ApiKeyCaller:
        now = self.clock.now()
        key_hash = hash_secret(secret)
        async with self.uow(purpose=Purpose.API_KEY) as uow:
            key = await uow.api_keys.get_by_hash(key_hash) if looks_like_secret(secret) else None
        if key is None:
            raise ApiKeyInvalid()
        key.check(key_hash, now)
        if key.needs_touch(now):
            async with self.uow(account=key.owner_id) as uow:
                await uow.api_keys.touch(key.owner_id, key.id, now)
                await uow.commit()
        wait = await self.limiter.hit(f"api_key:{key.id}", now, self.rate_limit)
        if wait is not None:
            raise RateLimited(wait, "too many requests for this API key; slow down")
        return ApiKeyCaller(key.id, key.owner_id, key.daily_quota)
