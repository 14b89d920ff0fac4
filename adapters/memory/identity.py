"""In-memory identity repositories."""

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from adapters.memory.store import MemoryTransaction, TableSpec, Unique
from domain.identity.account import Account, EmailTaken, UsernameTaken
from domain.identity.session import RefreshToken

ACCOUNTS = TableSpec("accounts", unique=(
    Unique("uq_accounts_email", lambda a: a.email, EmailTaken),
    Unique("uq_accounts_username", lambda a: a.username, UsernameTaken),
))
REFRESH_TOKENS = TableSpec("refresh_tokens", unique=(
    Unique("uq_refresh_tokens_token_hash", lambda t: t.token_hash, lambda: AssertionError("token hash reused")),
))


class MemoryAccountRepository:
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, account: Account) -> None:
        self._tx.put(ACCOUNTS, account)

    async def get(self, account_id: UUID) -> Account | None:
        return self._tx.get(ACCOUNTS, account_id)

    async def get_by_email(self, email: str) -> Account | None:
        return self._tx.find_unique(ACCOUNTS, "uq_accounts_email", email)

    async def get_by_username(self, username: str) -> Account | None:
        return self._tx.find_unique(ACCOUNTS, "uq_accounts_username", username)

    async def save(self, account: Account) -> None:
        self._tx.put(ACCOUNTS, account)


class MemoryRefreshTokenRepository:
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, token: RefreshToken) -> None:
        self._tx.put(REFRESH_TOKENS, token)

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        return self._tx.find_unique(REFRESH_TOKENS, "uq_refresh_tokens_token_hash", token_hash)

    async def spend(self, token_id: UUID, now: datetime) -> bool:
        token = self._tx.get(REFRESH_TOKENS, token_id)
        if token is None or token.spent_at is not None or token.revoked_at is not None:
            return False
        self._tx.put(REFRESH_TOKENS, replace(token, spent_at=now))
        return True

    async def revoke_family(self, owner_id: UUID, family_id: UUID, now: datetime) -> None:
        self._revoke(owner_id, now, lambda t: t.family_id == family_id)

    async def revoke_all(self, owner_id: UUID, now: datetime, *, except_family: UUID | None) -> None:
        self._revoke(owner_id, now, lambda t: t.family_id != except_family)

    def _revoke(self, owner_id: UUID, now: datetime, matches) -> None:
        for token in self._tx.rows(REFRESH_TOKENS):
            if token.owner_id == owner_id and token.revoked_at is None and matches(token):
                self._tx.put(REFRESH_TOKENS, replace(token, revoked_at=now))
