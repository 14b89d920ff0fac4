"""API keys: a secret shown once, stored as its SHA-256; revocable, expirable, rollable."""

import math
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

from domain.identity.session import hash_secret
from domain.shared.errors import AuthenticationFailed, Conflict, InvalidValue, NotFound

KEY_PREFIX = "atr_live_"
KEY_BYTES = 32
DISPLAY_CHARS = 4
QUOTA_MIN, QUOTA_MAX = 1, 1_000_000
NAME_MAX = 100
MAX_ACTIVE_KEYS = 20
GRACE_MAX = timedelta(days=7)
LAST_USED_RESOLUTION = timedelta(minutes=1)

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def base62(data: bytes) -> str:
    """Encode bytes as base62, left-padded so equal lengths give equal widths."""
    number, digits = int.from_bytes(data, "big"), []
    while number:
        number, digit = divmod(number, 62)
        digits.append(_BASE62[digit])
    return "".join(reversed(digits)).rjust(_base62_width(len(data)), "0")


def _base62_width(byte_count: int) -> int:
    return math.ceil(byte_count * 8 / math.log2(62))


def new_secret(random_bytes: bytes) -> str:
    """Return `atr_live_` + the base62 of at least 32 random bytes."""
    if len(random_bytes) < KEY_BYTES:
        raise ValueError(f"an API key needs at least {KEY_BYTES} random bytes")
    return KEY_PREFIX + base62(random_bytes)


_SECRET = re.compile(f"{re.escape(KEY_PREFIX)}[0-9A-Za-z]{{{_base62_width(KEY_BYTES)},}}")


def looks_like_secret(value: str) -> bool:
    """`atr_live_` and at least as many base62 digits as a secret has, nothing else."""
    return _SECRET.fullmatch(value) is not None


def display_prefix(secret: str) -> str:
    return secret[: len(KEY_PREFIX) + DISPLAY_CHARS]


def normalize_key_name(value: str) -> str:
    """Return the name trimmed: 1-100 characters, no control characters."""
    name = value.strip()
    if not 1 <= len(name) <= NAME_MAX or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise InvalidValue("name", f"must be 1-{NAME_MAX} characters without control characters")
    return name


def check_daily_quota(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not QUOTA_MIN <= value <= QUOTA_MAX:
        raise InvalidValue("daily_quota", f"must be a whole number from {QUOTA_MIN} to {QUOTA_MAX:,}")
    return value


def _future_utc(value: datetime, now: datetime) -> datetime:
    try:
        utc = None if value.tzinfo is None else value.astimezone(UTC)
    except OverflowError:  # past year 9999 once in UTC
        utc = None
    if utc is None or utc <= now:
        raise InvalidValue("expires_at", "must be a future time with a UTC offset")
    return utc


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A key that lets software call metered endpoints on its owner's behalf."""

    id: UUID
    owner_id: UUID
    name: str
    key_hash: str = field(repr=False)
    prefix: str
    daily_quota: int
    created_at: datetime
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
    # After a roll, the previous secret keeps working until `previous_expires_at`.
    previous_key_hash: str | None = field(default=None, repr=False)
    previous_expires_at: datetime | None = None

    @classmethod
    def issue(
        cls, *, id: UUID, owner_id: UUID, name: str, secret: str, daily_quota: int,
        expires_at: datetime | None, now: datetime,
    ) -> "ApiKey":
        return cls(
            id=id, owner_id=owner_id, name=normalize_key_name(name), key_hash=hash_secret(secret),
            prefix=display_prefix(secret), daily_quota=check_daily_quota(daily_quota),
            created_at=now, expires_at=None if expires_at is None else _future_utc(expires_at, now),
        )

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def is_usable(self, now: datetime) -> bool:
        return self.is_active and (self.expires_at is None or now < self.expires_at)

    def check(self, key_hash: str, now: datetime) -> None:
        """Raise ApiKeyRevoked or ApiKeyExpired unless the secret with this hash may be used now."""
        if not self.is_active:
            raise ApiKeyRevoked()
        if self.expires_at is not None and now >= self.expires_at:
            raise ApiKeyExpired()
        in_grace = self.previous_expires_at is not None and now < self.previous_expires_at
        if key_hash != self.key_hash and not (key_hash == self.previous_key_hash and in_grace):
            raise ApiKeyExpired("this secret was replaced by a roll and its grace period is over")

    def revoke(self, now: datetime) -> "ApiKey":
        return self if self.revoked_at else replace(self, revoked_at=now)

    def roll(self, secret: str, now: datetime, grace: timedelta) -> "ApiKey":
        """Return the key with a new secret; the current one keeps working for `grace`."""
        if not self.is_active:
            raise ApiKeyRevokedConflict()
        if not timedelta(0) <= grace <= GRACE_MAX:
            raise InvalidValue("grace_seconds", f"must be 0-{int(GRACE_MAX.total_seconds())} seconds")
        return replace(
            self, key_hash=hash_secret(secret), prefix=display_prefix(secret),
            previous_key_hash=self.key_hash, previous_expires_at=now + grace,
        )

    def needs_touch(self, now: datetime) -> bool:
        """True when last_used_at is more than a minute old (it is kept fresh to the minute)."""
        return self.last_used_at is None or now - self.last_used_at >= LAST_USED_RESOLUTION


class ApiKeyInvalid(AuthenticationFailed):
    code = "key_invalid"

    def __init__(self) -> None:
        super().__init__("the API key is missing, malformed or unknown")


class ApiKeyRevoked(AuthenticationFailed):
    code = "key_revoked"

    def __init__(self) -> None:
        super().__init__("the API key was revoked")


class ApiKeyExpired(AuthenticationFailed):
    code = "key_expired"

    def __init__(self, detail: str = "the API key has expired") -> None:
        super().__init__(detail)


class ApiKeyNotFound(NotFound):
    code = "api_key_not_found"

    def __init__(self) -> None:
        super().__init__("the API key does not exist")


class TooManyApiKeys(Conflict):
    code = "too_many_api_keys"

    def __init__(self) -> None:
        super().__init__(f"an account may have at most {MAX_ACTIVE_KEYS} active API keys; revoke one first")


class ApiKeyRevokedConflict(Conflict):
    code = "api_key_revoked"

    def __init__(self) -> None:
        super().__init__("a revoked API key cannot be rolled")
