"""Ports for API keys, metered usage and rate limits."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from uuid import UUID

from application.shared.unit_of_work import UnitOfWork
from domain.identity.api_key import ApiKey
from domain.identity.rate_limit import RateLimit
from domain.identity.usage import DailyUsage


class ApiKeyRepository(Protocol):
    """API keys; the current and the rolled-away secret's hashes are each unique across all keys."""

    async def add(self, key: ApiKey) -> None: ...

    async def get(self, owner_id: UUID, key_id: UUID) -> ApiKey | None: ...

    async def get_by_hash(self, key_hash: str) -> ApiKey | None:
        """The key whose current or previous secret has this hash, whoever owns it."""
        ...

    async def list(self, owner_id: UUID) -> list[ApiKey]:
        """The owner's keys, revoked ones included, newest first (created_at, id descending)."""
        ...

    async def count_usable(self, owner_id: UUID, now: datetime) -> int:
        """How many of the owner's keys are neither revoked nor expired; concurrent callers for one
        owner are serialized until commit (PostgreSQL: lock the owner's account row first)."""
        ...

    async def save(self, key: ApiKey) -> None: ...

    async def touch(self, owner_id: UUID, key_id: UUID, now: datetime) -> None:
        """Set last_used_at to now unless it is already within LAST_USED_RESOLUTION of now."""
        ...


class UsageRepository(Protocol):
    """Per-key per-UTC-day counters, (api_key_id, usage_date) unique; each write is one guarded statement."""

    async def spend(self, owner_id: UUID, api_key_id: UUID, day: date, units: int, quota: int) -> int | None:
        """Add `units` to the day's counter (creating it) only if used + units <= quota, and record
        that quota on the row; return the new `used`, or None and change nothing."""
        ...

    async def refund(self, owner_id: UUID, api_key_id: UUID, day: date, units: int) -> None:
        """Take `units` back from the day's counter, never below zero."""
        ...

    async def list(
        self, owner_id: UUID, *, start: date, end: date, api_key_id: UUID | None = None
    ) -> list[DailyUsage]:
        """The owner's counters from start to end inclusive, ordered by (usage_date, api_key_id)."""
        ...


class ApiAccessUnitOfWork(UnitOfWork, Protocol):
    api_keys: ApiKeyRepository
    usage: UsageRepository


class RateLimiter(Protocol):
    """Shared rate-limit state per key string (GCRA); each hit is atomic across replicas."""

    async def hit(self, key: str, now: datetime, limit: RateLimit) -> timedelta | None:
        """Count one request; None if allowed, else how long to wait (and nothing is counted)."""
        ...

    async def check(self, limits: Sequence[tuple[str, RateLimit]], now: datetime) -> list[timedelta | None]:
        """What `hit` would answer for each (key, limit), in order, counting nothing; one round trip."""
        ...


class RandomSource(Protocol):
    """Cryptographically strong randomness."""

    def token_bytes(self, count: int) -> bytes: ...


@dataclass(frozen=True, slots=True)
class ApiKeyCaller:
    """Who is calling with a verified API key."""

    api_key_id: UUID
    owner_id: UUID
    daily_quota: int
