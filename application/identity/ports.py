"""Ports of the identity context."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.shared.unit_of_work import UnitOfWork
from domain.identity.account import Account
from domain.identity.session import RefreshToken, Session


class AccountRepository(Protocol):
    """Accounts; email and username are unique (EmailTaken, UsernameTaken)."""

    async def add(self, account: Account) -> None: ...

    async def get(self, account_id: UUID) -> Account | None: ...

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


class AccountOpened(Protocol):
    """What another context does for a new account, inside the registration's unit of work."""

    async def __call__(self, uow: UnitOfWork, account: Account) -> None: ...


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
