"""In-memory identity repositories."""

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import final
from uuid import UUID

from adapters.memory.store import MemoryTransaction, TableSpec, Unique
from application.identity.ports import AccountLocale, AccountRepository, RefreshTokenRepository, SessionRepository
from domain.identity.account import Account, EmailTaken, UsernameTaken
from domain.identity.session import RefreshToken, Session

ACCOUNTS: TableSpec[Account] = TableSpec("accounts", unique=(
    Unique("uq_accounts_email", lambda a: a.email, EmailTaken),
    Unique("uq_accounts_username", lambda a: a.username, UsernameTaken),
))
REFRESH_TOKENS: TableSpec[RefreshToken] = TableSpec("refresh_tokens", unique=(
    Unique("uq_refresh_tokens_token_hash", lambda t: t.token_hash, lambda: AssertionError("token hash reused")),
))
SESSIONS: TableSpec[Session] = TableSpec("sessions")


@final
class MemoryAccountRepository(AccountRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, account: Account) -> None:
        self._tx.put(ACCOUNTS, account)

    async def get(self, account_id: UUID) -> Account | None:
        return self._tx.get(ACCOUNTS, account_id)

    async def locale(self, account_id: UUID) -> AccountLocale | None:
        account = await self.get(account_id)
        return None if account is None else AccountLocale(account.currency, account.time_zone)

    async def get_by_email(self, email: str) -> Account | None:
        return self._tx.find_unique(ACCOUNTS, "uq_accounts_email", email)

    async def get_by_username(self, username: str) -> Account | None:
        return self._tx.find_unique(ACCOUNTS, "uq_accounts_username", username)

    async def save(self, account: Account) -> None:
        self._tx.put(ACCOUNTS, account)


@final
class MemoryRefreshTokenRepository(RefreshTokenRepository):
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


@final
class MemorySessionRepository(SessionRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, session: Session) -> None:
        self._tx.put(SESSIONS, session)

    async def end(self, owner_id: UUID, session_id: UUID, now: datetime) -> bool:
        return bool(self._end(owner_id, now, lambda family: family == session_id))

    async def end_others(self, owner_id: UUID, keep: UUID, now: datetime) -> list[UUID]:
        return self._end(owner_id, now, lambda family: family != keep)

    async def is_live(self, owner_id: UUID, session_id: UUID) -> bool:
        session = self._tx.get(SESSIONS, session_id)
        account = self._tx.get(ACCOUNTS, owner_id)
        return (session is not None and session.owner_id == owner_id and session.ended_at is None
                and account is not None and account.is_active)

    async def started_from(self, owner_id: UUID, client_address: str, since: datetime) -> bool:
        return any(s.owner_id == owner_id and s.client_address == client_address and s.started_at >= since
                   for s in self._tx.rows(SESSIONS))

    def _end(self, owner_id: UUID, now: datetime, matches: Callable[[UUID], bool]) -> list[UUID]:
        """End the owner's live sessions whose id matches and revoke the refresh tokens whose family matches."""
        ended = []
        for session in self._tx.rows(SESSIONS):
            if session.owner_id == owner_id and session.ended_at is None and matches(session.id):
                self._tx.put(SESSIONS, replace(session, ended_at=now))
                ended.append(session.id)
        for token in self._tx.rows(REFRESH_TOKENS):
            if token.owner_id == owner_id and token.revoked_at is None and matches(token.family_id):
                self._tx.put(REFRESH_TOKENS, replace(token, revoked_at=now))
        return ended
