"""Idempotency keys for image generation: a retry with the same body gets the first result."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from domain.shared.errors import Conflict, InvalidValue

IDEMPOTENCY_TTL = timedelta(hours=24)
# A claim still unfinished after this long belongs to a request that died; a retry takes it over.
IDEMPOTENCY_LEASE = timedelta(minutes=5)
KEY_MAX = 255


def check_idempotency_key(value: str) -> str:
    if not 1 <= len(value) <= KEY_MAX or not all(32 <= ord(ch) < 127 for ch in value):
        raise InvalidValue("idempotency_key", f"must be 1-{KEY_MAX} printable ASCII characters")
    return value


@dataclass(frozen=True, slots=True)
class IdempotencyRecord:
    """A claimed idempotency key: the request it was first used with, and the unit spent for it."""

    owner_id: UUID
    key: str
    fingerprint: str
    api_key_id: UUID
    usage_date: date
    created_at: datetime
    generation_id: UUID | None = None
    """None while the first request is still running (its unit is spent, not yet delivered)."""

    def replay(self, fingerprint: str, now: datetime) -> UUID | None:
        """The generation to answer with again, or None when this request may run afresh
        (the key expired, or its first request died); raises if the key cannot be used now."""
        if now >= self.created_at + IDEMPOTENCY_TTL:
            return None
        if fingerprint != self.fingerprint:
            raise IdempotencyKeyReused()
        if self.generation_id is None and now < self.created_at + IDEMPOTENCY_LEASE:
            raise IdempotencyKeyInProgress()
        return self.generation_id


class IdempotencyKeyReused(InvalidValue):
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__("idempotency_key", "was already used with a different request body")


class IdempotencyKeyInProgress(Conflict):
    code = "idempotency_key_in_progress"

    def __init__(self) -> None:
        super().__init__("a request with this Idempotency-Key is still running; retry shortly")
