"""PostgreSQL identity repositories (SQLAlchemy Core, explicit row mapping)."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import bindparam, insert, select, update

from adapters.postgres.connection import LazyConnection
from adapters.postgres.errors import translating
from adapters.postgres.prepared import PreparedRead, columns, values_of
from adapters.postgres.tables import accounts, refresh_tokens
from domain.identity.account import Account, EmailTaken, UsernameTaken
from domain.identity.session import RefreshToken

_ACCOUNT_BY_ID = PreparedRead(select(accounts).where(accounts.c.id == bindparam("id")))
_ACCOUNT_ERRORS = {"uq_accounts_email": EmailTaken, "uq_accounts_username": UsernameTaken}


def _account(row) -> Account | None:
    return None if row is None else Account(**columns(row))


def _token(row) -> RefreshToken | None:
    return None if row is None else RefreshToken(**row._mapping)


class PostgresAccountRepository:
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, account: Account) -> None:
        await translating(self._conn.execute(insert(accounts).values(values_of(account))), _ACCOUNT_ERRORS)

    async def get(self, account_id: UUID) -> Account | None:
        return _account(await _ACCOUNT_BY_ID.one(self._conn, id=account_id))

    async def get_by_email(self, email: str) -> Account | None:
        return await self._one(accounts.c.email == email)

    async def get_by_username(self, username: str) -> Account | None:
        return await self._one(accounts.c.username == username)

    async def save(self, account: Account) -> None:
        statement = update(accounts).where(accounts.c.id == account.id).values(values_of(account))
        await translating(self._conn.execute(statement), _ACCOUNT_ERRORS)

    async def _one(self, condition) -> Account | None:
        return _account((await self._conn.execute(select(accounts).where(condition))).first())


class PostgresRefreshTokenRepository:
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, token: RefreshToken) -> None:
        await self._conn.execute(insert(refresh_tokens).values(values_of(token)))

    async def get_by_hash(self, token_hash: str) -> RefreshToken | None:
        statement = select(refresh_tokens).where(refresh_tokens.c.token_hash == token_hash)
        return _token((await self._conn.execute(statement)).first())

    async def spend(self, token_id: UUID, now: datetime) -> bool:
        statement = (
            update(refresh_tokens)
            .where(refresh_tokens.c.id == token_id, refresh_tokens.c.spent_at.is_(None),
                   refresh_tokens.c.revoked_at.is_(None))
            .values(spent_at=now)
        )
        return (await self._conn.execute(statement)).rowcount == 1

    async def revoke_family(self, owner_id: UUID, family_id: UUID, now: datetime) -> None:
        await self._revoke(owner_id, now, refresh_tokens.c.family_id == family_id)

    async def revoke_all(self, owner_id: UUID, now: datetime, *, except_family: UUID | None) -> None:
        await self._revoke(owner_id, now, refresh_tokens.c.family_id != except_family
                           if except_family else None)

    async def _revoke(self, owner_id: UUID, now: datetime, condition) -> None:
        statement = update(refresh_tokens).where(
            refresh_tokens.c.owner_id == owner_id, refresh_tokens.c.revoked_at.is_(None)
        ).values(revoked_at=now)
        if condition is not None:
            statement = statement.where(condition)
        await self._conn.execute(statement)
