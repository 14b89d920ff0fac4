"""In-memory API keys and usage counters."""

from dataclasses import replace
from datetime import date, datetime
from typing import final
from uuid import UUID

from adapters.memory.store import MemoryTransaction, TableSpec, Unique
from application.identity.ports import ApiKeyRepository, UsageRepository
from domain.identity.api_key import LAST_USED_RESOLUTION, ApiKey
from domain.identity.usage import DailyUsage


def _duplicate_hash() -> AssertionError:
    return AssertionError("API key hash reused")


API_KEYS: TableSpec[ApiKey] = TableSpec("api_keys", unique=(
    Unique("uq_api_keys_key_hash", lambda k: k.key_hash, _duplicate_hash),
    Unique("uq_api_keys_previous_key_hash", lambda k: k.previous_key_hash, _duplicate_hash),
))
# The primary key is the unique pair (api_key_id, usage_date): uq_api_key_usage_api_key_id_usage_date.
API_KEY_USAGE: TableSpec[DailyUsage] = TableSpec("api_key_usage", primary_key=lambda u: (u.api_key_id, u.usage_date))


@final
class MemoryApiKeyRepository(ApiKeyRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, key: ApiKey) -> None:
        self._tx.put(API_KEYS, key)

    async def get(self, owner_id: UUID, key_id: UUID) -> ApiKey | None:
        key = self._tx.get(API_KEYS, key_id)
        return key if key is not None and key.owner_id == owner_id else None

    async def get_by_hash(self, key_hash: str) -> ApiKey | None:
        return (self._tx.find_unique(API_KEYS, "uq_api_keys_key_hash", key_hash)
                or self._tx.find_unique(API_KEYS, "uq_api_keys_previous_key_hash", key_hash))

    async def list(self, owner_id: UUID) -> list[ApiKey]:
        keys = [k for k in self._tx.rows(API_KEYS) if k.owner_id == owner_id]
        return sorted(keys, key=lambda k: (k.created_at, k.id), reverse=True)

    async def count_usable(self, owner_id: UUID, now: datetime) -> int:
        return sum(1 for k in self._tx.rows(API_KEYS) if k.owner_id == owner_id and k.is_usable(now))

    async def save(self, key: ApiKey) -> None:
        self._tx.put(API_KEYS, key)

    async def touch(self, owner_id: UUID, key_id: UUID, now: datetime) -> None:
        key = await self.get(owner_id, key_id)
        if key is not None and (key.last_used_at is None or key.last_used_at <= now - LAST_USED_RESOLUTION):
            self._tx.put(API_KEYS, replace(key, last_used_at=now))


@final
class MemoryUsageRepository(UsageRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def spend(self, owner_id: UUID, api_key_id: UUID, day: date, units: int, quota: int) -> int | None:
        row = self._tx.get(API_KEY_USAGE, (api_key_id, day))
        used = (0 if row is None else row.used) + units
        if used > quota:
            return None
        self._tx.put(API_KEY_USAGE, DailyUsage(owner_id, api_key_id, day, used, quota))
        return used

    async def refund(self, owner_id: UUID, api_key_id: UUID, day: date, units: int) -> None:
        row = self._tx.get(API_KEY_USAGE, (api_key_id, day))
        if row is not None and row.owner_id == owner_id:
            self._tx.put(API_KEY_USAGE, replace(row, used=max(0, row.used - units)))

    async def list(
        self, owner_id: UUID, *, start: date, end: date, api_key_id: UUID | None = None
    ) -> list[DailyUsage]:
        rows = [
            u for u in self._tx.rows(API_KEY_USAGE)
            if u.owner_id == owner_id and start <= u.usage_date <= end
            and (api_key_id is None or u.api_key_id == api_key_id)
        ]
        return sorted(rows, key=lambda u: (u.usage_date, u.api_key_id))
