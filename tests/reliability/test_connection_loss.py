"""A connection the server is closing, caught between the server's farewell and its end of stream: the unit of
work reports the database unavailable (an API 503) and the pool never hands that connection out again.

The server's FATAL message ("terminating connection due to administrator command") can reach asyncpg while the
connection sits idle in the pool; asyncpg's protocol is then stuck until the end of stream, an event-loop turn
later. A request that checks the connection out in between used to get a 500 (CI, 2026-12-03). Here the
message is fed to the protocol at checkout, which reproduces that turn deterministically.
"""

import struct
from uuid import uuid4

import pytest
from asyncpg import exceptions as pg_exc
from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_dbapi

from adapters.postgres.database import create_engine, is_unavailable
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from application.shared.errors import StorageUnavailable

Error = AsyncAdapt_asyncpg_dbapi.Error


def farewell() -> bytes:
    """The ErrorResponse PostgreSQL sends a backend's client before closing it (pg_terminate_backend)."""
    fields = b"".join(code + text + b"\0" for code, text in [
        (b"S", b"FATAL"), (b"V", b"FATAL"), (b"C", b"57P01"),
        (b"M", b"terminating connection due to administrator command"),
    ]) + b"\0"
    return b"E" + struct.pack("!i", len(fields) + 4) + fields


class DyingConnections:
    """While on, every checkout from `engine` hands out a connection that has just read the server's farewell."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.handed_out = []  # the driver connections so handed out
        event.listen(engine.sync_engine, "checkout", self._farewell_at_checkout)

    def stop(self) -> None:
        event.remove(self.engine.sync_engine, "checkout", self._farewell_at_checkout)

    def _farewell_at_checkout(self, dbapi_connection, record, proxy) -> None:
        record.driver_connection._protocol.data_received(farewell())
        self.handed_out.append(record.driver_connection)


@pytest.fixture
async def dying(postgres_url):
    engine = create_engine(postgres_url, pool_size=2)
    dying = DyingConnections(engine)
    yield dying
    await engine.dispose()


async def test_a_prepared_read_on_a_dying_connection_is_unavailable_and_the_connection_is_dropped(dying):
    with pytest.raises(StorageUnavailable):
        async with PostgresUnitOfWork(dying.engine) as uow:
            await uow.accounts.get(uuid4())  # a prepared read, on the bare driver connection
    assert dying.handed_out and all(driver.is_closed() for driver in dying.handed_out)


async def test_a_sqlalchemy_statement_on_a_dying_connection_is_unavailable_and_the_connection_is_dropped(dying):
    with pytest.raises(StorageUnavailable):
        async with PostgresUnitOfWork(dying.engine) as uow:
            await uow.accounts.get_by_email("nobody@example.com")  # a SQLAlchemy statement, in a transaction
    assert dying.handed_out and all(driver.is_closed() for driver in dying.handed_out)


async def test_after_a_dying_connection_the_next_unit_of_work_gets_a_working_one(dying):
    with pytest.raises(StorageUnavailable):
        async with PostgresUnitOfWork(dying.engine) as uow:
            await uow.accounts.get(uuid4())
    dying.stop()
    async with PostgresUnitOfWork(dying.engine) as uow:
        assert await uow.accounts.get(uuid4()) is None
        assert await uow.accounts.get_by_email("nobody@example.com") is None


def wrapped(error: Exception) -> Exception:
    """`error` as SQLAlchemy raises it from `raw_connection()`: the dialect's emulated DBAPI error, raised from it."""
    emulated = Error(str(error), error)
    emulated.__cause__ = error
    return emulated


def statement_error(error: Exception) -> Exception:
    """`error` as SQLAlchemy raises it from a statement: a DBAPIError around the emulated DBAPI error."""
    return sa_exc.DBAPIError.instance("SELECT 1", {}, wrapped(error), Error)


LOST = [
    pg_exc.InternalClientError("cannot switch to state 12; another operation (2) is in progress"),
    pg_exc.AdminShutdownError("terminating connection due to administrator command"),
    pg_exc.CrashShutdownError("terminating connection because of crash of another server process"),
    pg_exc.CannotConnectNowError("the database system is shutting down"),
    pg_exc.TooManyConnectionsError("sorry, too many clients already"),
    pg_exc.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    pg_exc.ConnectionFailureError("connection failure"),
    pg_exc.InterfaceError("connection is closed"),
]
NOT_LOST = [
    pg_exc.UniqueViolationError("duplicate key value violates unique constraint"),
    pg_exc.QueryCanceledError("canceling statement due to user request"),
    pg_exc.CharacterNotInRepertoireError("invalid byte sequence for encoding \"UTF8\": 0x00"),
    pg_exc.InterfaceError("cannot perform operation: another operation is in progress"),
]


@pytest.mark.parametrize("wrap", [lambda error: error, wrapped, statement_error], ids=["bare", "checkout", "statement"])
@pytest.mark.parametrize("error", LOST, ids=lambda error: type(error).__name__)
def test_errors_of_a_lost_connection_count_as_unavailable(error, wrap):
    """By SQLSTATE (class 08, 57P01-57P03, 53300) or the driver's own error, bare or however SQLAlchemy wraps it."""
    assert is_unavailable(wrap(error))


@pytest.mark.parametrize("wrap", [lambda error: error, wrapped, statement_error], ids=["bare", "checkout", "statement"])
@pytest.mark.parametrize("error", NOT_LOST, ids=lambda error: type(error).__name__)
def test_errors_of_a_bad_statement_or_a_bug_do_not(error, wrap):
    assert not is_unavailable(wrap(error))


@pytest.mark.parametrize("error", [ConnectionResetError(), ConnectionRefusedError(), FileNotFoundError(),
                                   TimeoutError(), sa_exc.TimeoutError()], ids=lambda error: type(error).__name__)
def test_a_socket_that_fails_or_a_connection_that_never_comes_counts_as_unavailable(error):
    assert is_unavailable(error)


def test_a_bug_does_not():
    assert not is_unavailable(ValueError("bad input"))
