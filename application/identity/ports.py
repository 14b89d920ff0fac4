"""Ports of the identity context: accounts and sessions, API keys and metered usage, rate limits."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from uuid import UUID

from application.shared.unit_of_work import UnitOfWork
from domain.identity.account import Account
from domain.identity.api_key import ApiKey
from domain.identity.rate_limit import RateLimit
from domain.identity.session import RefreshToken, Session
from domain.identity.usage import DailyUsage


@dataclass(frozen=True, slots=True)
class AccountLocale:
    """The currency and time zone other contexts default to."""

    currency: str
    time_zone: str


class AccountRepository(Protocol):
    """Accounts; email and username are unique (EmailTaken, UsernameTaken)."""

    async def add(self, account: Account) -> None: ...

    async def get(self, account_id: UUID) -> Account | None: ...

    async def locale(self, account_id: UUID) -> AccountLocale | None:
        """The account's currency and time zone alone (a lighter read than `get`); None if there is no account."""
        ...

    async def get_by_email(self, email: str) -> Account | None: ...

    async def get_by_username(self, username: str) -> Account | None: ...

    async def save(self, account: Account) -> None: ...


class RefreshTokenRepository(Protocol):
    """Refresh tokens, found by the hash of their secret."""

    async def add(self, token: RefreshToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None: ...

    async def spend(self, token_id: UUID, now: datetime) -> bool:
        """Mark the token spent; False if it was already spent or revoked (one winner)."""
        ...


class SessionRepository(Protocol):
    """Login sessions; ending one also revokes its refresh tokens (the family of the session's id)."""

    async def add(self, session: Session) -> None: ...

    async def end(self, owner_id: UUID, session_id: UUID, now: datetime) -> bool:
        """End the owner's session and revoke its refresh tokens; False if it had ended already."""
        ...

    async def end_others(self, owner_id: UUID, keep: UUID, now: datetime) -> list[UUID]:
        """End every live session of the owner but `keep`, revoking their refresh tokens; the ids ended."""
        ...

    async def is_live(self, owner_id: UUID, session_id: UUID) -> bool:
        """True if the owner's session exists and has not ended, and the owner's account is active."""
        ...

    async def started_from(self, owner_id: UUID, client_address: str, since: datetime) -> bool:
        """True if a session of the owner started from `client_address` at or after `since`."""
        ...


class IdentityUnitOfWork(UnitOfWork, Protocol):
    accounts: AccountRepository
    refresh_tokens: RefreshTokenRepository
    sessions: SessionRepository


class EndedSessions(Protocol):
    """The sessions this process knows have ended: those it ended at once, every other process's within
    seconds. Asked on every authenticated request, so a fresh answer costs no round trip."""

    async def has_ended(self, session_id: UUID) -> bool: ...

    def add(self, session_ids: Iterable[UUID], now: datetime) -> None:
        """Learn of sessions this process has just ended (after the commit)."""
        ...


class PasswordHasher(Protocol):
    """Slow, salted password hashing (argon2id)."""

    async def hash(self, password: str) -> str: ...

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True if it matches; with no hash, spends the same time and returns False."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class AccessClaims:
    account_id: UUID
    session_id: UUID


@dataclass(frozen=True, slots=True)
class AccessToken:
    token: str
    expires_in: int


class TokenService(Protocol):
    """Signed short-lived access tokens and random refresh-token secrets."""

    def issue_access_token(self, *, account_id: UUID, session_id: UUID, now: datetime) -> AccessToken: ...

    def verify_access_token(self, token: str, now: datetime) -> AccessClaims:
        """Return the claims; raise AuthenticationFailed if forged, malformed or expired."""
        ...

    def new_refresh_secret(self) -> str: ...


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


class ApiKeyUnitOfWork(UnitOfWork, Protocol):
    api_keys: ApiKeyRepository
    usage: UsageRepository


class QuotaMeter(Protocol):
    """The same per-key per-UTC-day counters as UsageRepository, spent outside any unit of work: each spend is one
    statement committed on its own, for a caller whose unit of work would hold nothing else."""

    async def spend(self, owner_id: UUID, api_key_id: UUID, day: date, units: int, quota: int) -> int | None:
        """As `UsageRepository.spend`, committed at once."""
        ...


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
