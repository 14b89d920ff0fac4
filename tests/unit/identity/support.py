"""API access use cases wired on the in-memory adapters with a settable clock."""

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID, uuid4

from adapters.clock import SettableClock
from adapters.ids import Uuid7Generator
from adapters.memory.rate_limiter import MemoryRateLimiter
from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.randomness import SystemRandomSource
from application.identity.api_keys import (
    AuthenticateApiKey,
    CreateApiKey,
    IssuedApiKey,
    ListApiKeys,
    RefundUsage,
    RevokeApiKey,
    RollApiKey,
    VerifyApiKey,
)
from application.identity.usage import GetUsage
from domain.identity.rate_limit import RateLimit

GENEROUS = RateLimit(1000, timedelta(seconds=1))


@dataclass
class ApiAccess:
    clock: SettableClock
    create: CreateApiKey
    list: ListApiKeys
    revoke: RevokeApiKey
    roll: RollApiKey
    authenticate: AuthenticateApiKey
    verify: VerifyApiKey
    refund: RefundUsage
    usage: GetUsage
    owner: UUID

    async def new_key(self, **fields: object) -> IssuedApiKey:
        return await self.create(self.owner, **{"name": "ci", **fields})

    async def used_today(self, key_id: UUID) -> int:
        report = await self.usage(self.owner, api_key_id=key_id)
        return next((k.used for k in report.today if k.api_key_id == key_id), 0)


def build_api_access(
    clock: SettableClock, rate_limit: RateLimit = GENEROUS, store: MemoryStore | None = None
) -> ApiAccess:
    store = store or MemoryStore()
    uow = lambda: MemoryUnitOfWork(store)  # noqa: E731
    random, ids = SystemRandomSource(), Uuid7Generator()
    authenticate = AuthenticateApiKey(uow, clock, MemoryRateLimiter(), rate_limit)
    return ApiAccess(
        clock=clock,
        create=CreateApiKey(uow, clock, ids, random),
        list=ListApiKeys(uow),
        revoke=RevokeApiKey(uow, clock),
        roll=RollApiKey(uow, clock, random),
        authenticate=authenticate,
        verify=VerifyApiKey(uow, clock, authenticate),
        refund=RefundUsage(uow),
        usage=GetUsage(uow, clock),
        owner=uuid4(),
    )
