"""Login sessions: one per login, with rotating refresh tokens grouped in a family of the session's id."""

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.shared.errors import AuthenticationFailed


def hash_secret(secret: str) -> str:
    """Return the hex SHA-256 of a high-entropy secret (refresh tokens, API keys)."""
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    """One login, from the client address it came from; ended by logout, a reused refresh token or a password
    change, after which no access token of it is accepted."""

    id: UUID
    owner_id: UUID
    started_at: datetime
    client_address: str | None
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RefreshToken:
    """One refresh token of a session family; usable once, until `expires_at`."""

    id: UUID
    owner_id: UUID
    family_id: UUID
    token_hash: str
    issued_at: datetime
    expires_at: datetime
    spent_at: datetime | None = None
    revoked_at: datetime | None = None

    def is_usable(self, now: datetime) -> bool:
        return self.spent_at is None and self.revoked_at is None and now < self.expires_at

    def spend(self, now: datetime) -> "RefreshToken":
        return replace(self, spent_at=now)


class InvalidRefreshToken(AuthenticationFailed):
    code = "invalid_refresh_token"

    def __init__(self) -> None:
        super().__init__("the refresh token is invalid, expired or revoked")


class SessionEnded(AuthenticationFailed):
    code = "session_ended"

    def __init__(self) -> None:
        super().__init__("the session has ended; log in again")
