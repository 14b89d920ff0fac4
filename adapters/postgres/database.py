"""Engine creation from a plain PostgreSQL URL, and what counts as 'database unavailable'."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from asyncpg import exceptions as pg_exc
from sqlalchemy import exc as sa_exc
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.util.concurrency import in_greenlet


def asyncpg_url(url: str) -> str:
    """Turn `postgres://` / `postgresql://` URLs (as hosts give them) into SQLAlchemy asyncpg URLs."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    if scheme not in ("postgres", "postgresql"):
        raise ValueError(f"not a PostgreSQL URL: scheme {parts.scheme!r}")
    query = [("ssl" if key == "sslmode" else key, value) for key, value in parse_qsl(parts.query)]
    return urlunsplit(parts._replace(scheme="postgresql+asyncpg", query=urlencode(query)))


def create_engine(url: str, *, pool_size: int = 20, max_overflow: int = 0,
                  connect_timeout: float = 3.0, pool_timeout: float = 5.0) -> AsyncEngine:
    """An asyncpg engine that gives up quickly when the server is unreachable, and never hands out a pooled
    connection the server has closed (restart, `pg_terminate_backend`)."""
    engine = create_async_engine(
        asyncpg_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        pool_recycle=1800,
        hide_parameters=True,  # an error's text never quotes bound values (secrets among them)
        connect_args={"timeout": connect_timeout, "command_timeout": 60,
                      "server_settings": {"application_name": "atrium"}},
    )
    event.listen(engine.sync_engine, "checkout", _replace_if_closed)
    event.listen(engine.sync_engine, "do_connect", _only_where_it_may_await)
    return engine


def _only_where_it_may_await(*_: object) -> None:
    """Connecting awaits the driver: outside `greenlet_spawn` (`connection.check_out`'s path without a greenlet),
    refuse it before the driver's coroutine exists; the pool takes that as a failed connect."""
    if not in_greenlet():
        raise sa_exc.MissingGreenlet("connecting needs greenlet_spawn")


def _replace_if_closed(dbapi_connection: object, record: ConnectionPoolEntry, proxy: object) -> None:
    """asyncpg already saw the server close it: the pool connects afresh, at no round trip (pool_pre_ping costs
    three per checkout with asyncpg; docs/reliability.md has the numbers)."""
    if record.driver_connection is not None and record.driver_connection.is_closed():
        raise sa_exc.DisconnectionError("the server closed this pooled connection")


def driver_error(error: BaseException) -> BaseException:
    """The driver's own error under SQLAlchemy's wrappings (a DBAPIError around an emulated DBAPI error, as
    statements and `raw_connection()` raise them), or `error` itself when it is not wrapped."""
    if isinstance(error, sa_exc.DBAPIError) and error.orig is not None:
        error = error.orig
    if isinstance(error, sa_exc.EmulatedDBAPIException) and error.orig is not None:
        error = error.orig
    return error


def is_unavailable(error: BaseException) -> bool:
    """True for errors that mean the database cannot be reached now, or the connection died under the statement
    (not a bad statement): SQLSTATE class 08 (connection exception), 57P01-57P03 (the server shutting down or
    restarting, refusing connections meanwhile), 53300 (too many connections), and the driver's and the
    socket's own errors of a lost connection. The one classification for every connection Atrium checks out."""
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    error = driver_error(error)
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate.startswith(_UNAVAILABLE_SQLSTATES)
    if isinstance(error, pg_exc.InterfaceError):
        return "connection is closed" in str(error)
    return isinstance(error, _CONNECTION_LOST)


_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")
_CONNECTION_LOST = (
    OSError,  # refused, reset, broken pipe, no socket
    TimeoutError, sa_exc.TimeoutError,  # no connection within the connect or the pool timeout
    sa_exc.DisconnectionError,  # the pool gave up replacing a closed connection
    pg_exc.InternalClientError,  # the server's farewell read before its EOF: the protocol is stuck, then closed
)


async def migration_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    async with engine.connect() as conn:
        exists = await conn.scalar(text("SELECT to_regclass('alembic_version') IS NOT NULL"))
        if not exists:
            return None
        revision: str | None = await conn.scalar(text(  # row-level security opens it to this purpose only
            "SELECT version_num FROM alembic_version "
            "WHERE (SELECT set_config('atrium.purpose', 'readiness', true)) IS NOT NULL"))
        return revision
