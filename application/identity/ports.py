"""Ports of the identity context."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.shared.unit_of_work import UnitOfWork
from domain.identity.account import Account
from domain.identity.session import RefreshToken


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

    async def revoke_family(self, owner_id: UUID, family_id: UUID, now: datetime) -> None: ...

    async def revoke_all(self, owner_id: UUID, now: datetime, *, except_family: UUID | None) -> None: ...


class IdentityUnitOfWork(UnitOfWork, Protocol):
    accounts: AccountRepository
    refresh_tokens: RefreshTokenRepository


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
