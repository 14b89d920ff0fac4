"""PostgreSQL identity repositories (SQLAlchemy Core, explicit row mapping)."""

from datetime import datetime
from typing import Any, final
from uuid import UUID

from sqlalchemy import ColumnClause, ColumnElement, bindparam, insert, literal_column, select, update

from adapters.postgres.connection import LazyConnection
from adapters.postgres.errors import translating
from adapters.postgres.prepared import PreparedInsert, PreparedRead, PreparedWrite, by_position, inserting, values_of
from adapters.postgres.tables.identity import accounts, refresh_tokens, sessions
from application.identity.ports import AccountLocale, AccountRepository, RefreshTokenRepository, SessionRepository
from domain.identity.account import Account, EmailTaken, UsernameTaken
from domain.identity.session import RefreshToken, Session

_ACCOUNT_BY_ID = PreparedRead(select(accounts).where(accounts.c.id == bindparam("id")))
_LOCALE_BY_ID = PreparedRead(select(accounts.c.currency, accounts.c.time_zone).where(accounts.c.id == bindparam("id")))
_ACCOUNT_BY_EMAIL = PreparedRead(select(accounts).where(accounts.c.email == bindparam("email")))
_ACCOUNT_BY_USERNAME = PreparedRead(select(accounts).where(accounts.c.username == bindparam("username")))
_ADD_TOKEN = inserting(refresh_tokens)
_ACCOUNT_ERRORS = {"uq_accounts_email": EmailTaken, "uq_accounts_username": UsernameTaken}


_row_account = by_position(Account, accounts)


def _account(row: Any) -> Account | None:
    return None if row is None else _row_account(row)


def _token(row: Any) -> RefreshToken | None:
    return None if row is None else RefreshToken(**row._mapping)


@final
class PostgresAccountRepository(AccountRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, account: Account) -> None:
        await translating(self._conn.execute(insert(accounts).values(values_of(account))), _ACCOUNT_ERRORS)

    async def get(self, account_id: UUID) -> Account | None:
        return _account(await _ACCOUNT_BY_ID.one(self._conn, id=account_id))

    async def locale(self, account_id: UUID) -> AccountLocale | None:
        row = await _LOCALE_BY_ID.one(self._conn, id=account_id)
        return None if row is None else AccountLocale(*row)

    async def get_by_email(self, email: str) -> Account | None:
        return _account(await _ACCOUNT_BY_EMAIL.one(self._conn, email=email))

    async def get_by_username(self, username: str) -> Account | None:
        return _account(await _ACCOUNT_BY_USERNAME.one(self._conn, username=username))

    async def save(self, account: Account) -> None:
        statement = update(accounts).where(accounts.c.id == account.id).values(values_of(account))
        await translating(self._conn.execute(statement), _ACCOUNT_ERRORS)


@final
class PostgresRefreshTokenRepository(RefreshTokenRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, token: RefreshToken) -> None:
        await _ADD_TOKEN.run(self._conn, **values_of(token))

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


# The id of the ending transaction, for the pollers' watermark (adapters/postgres/ended_sessions.py).
_CURRENT_XACT: ColumnClause[int] = literal_column("pg_current_xact_id()::text::bigint")


def _ending(sessions_where: ColumnElement[bool], tokens_where: ColumnElement[bool]) -> PreparedWrite:
    """One statement that ends the owner's live sessions matching `sessions_where` and revokes the refresh tokens
    matching `tokens_where`; it answers the ids of the sessions it ended."""
    ended = (update(sessions)
             .where(sessions.c.owner_id == bindparam("owner_id"), sessions.c.ended_at.is_(None), sessions_where)
             .values(ended_at=bindparam("now"), ended_xact=_CURRENT_XACT).returning(sessions.c.id).cte("ended"))
    revoked = (update(refresh_tokens)
               .where(refresh_tokens.c.owner_id == bindparam("owner_id"), refresh_tokens.c.revoked_at.is_(None),
                      tokens_where)
               .values(revoked_at=bindparam("now")).cte("revoked"))
    return PreparedWrite(select(ended.c.id).add_cte(revoked))


_ADD_SESSION = PreparedInsert(insert(sessions).values(
    {name: bindparam(name) for name in ("id", "owner_id", "started_at", "client_address", "ended_at")}), {})
_END = _ending(sessions.c.id == bindparam("id"), refresh_tokens.c.family_id == bindparam("id"))
_END_OTHERS = _ending(sessions.c.id != bindparam("keep"), refresh_tokens.c.family_id != bindparam("keep"))
_LIVE = PreparedRead(
    select(sessions.c.id).select_from(sessions.join(accounts, accounts.c.id == sessions.c.owner_id))
    .where(sessions.c.id == bindparam("id"), sessions.c.owner_id == bindparam("owner_id"),
           sessions.c.ended_at.is_(None), accounts.c.is_active))
_STARTED_FROM = PreparedRead(
    select(sessions.c.id).where(sessions.c.owner_id == bindparam("owner_id"),
                             sessions.c.client_address == bindparam("client_address"),
                             sessions.c.started_at >= bindparam("since")).limit(literal_column("1")))


@final
class PostgresSessionRepository(SessionRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, session: Session) -> None:
        await _ADD_SESSION.run(self._conn, **values_of(session))

    async def end(self, owner_id: UUID, session_id: UUID, now: datetime) -> bool:
        return bool(await _END.all(self._conn, owner_id=owner_id, id=session_id, now=now))

    async def end_others(self, owner_id: UUID, keep: UUID, now: datetime) -> list[UUID]:
        return [row["id"] for row in await _END_OTHERS.all(self._conn, owner_id=owner_id, keep=keep, now=now)]

    async def is_live(self, owner_id: UUID, session_id: UUID) -> bool:
        return await _LIVE.one(self._conn, owner_id=owner_id, id=session_id) is not None

    async def started_from(self, owner_id: UUID, client_address: str, since: datetime) -> bool:
        row = await _STARTED_FROM.one(self._conn, owner_id=owner_id, client_address=client_address, since=since)
        return row is not None
