"""Connections taken from the pool and given back without a greenlet where no I/O is needed
(`connection.check_out`, `check_in`): the pool's accounting and the server's connections stay exact, a connection
the server closed is replaced, and nothing connects outside `greenlet_spawn`."""

import asyncio
import gc
import warnings

import pytest
from sqlalchemy import exc as sa_exc

from adapters.postgres.connection import LazyConnection
from adapters.postgres.database import create_engine


@pytest.fixture
async def engine(postgres_url):
    engine = create_engine(postgres_url, pool_size=2, max_overflow=1)
    yield engine
    await engine.dispose()


async def fetch(engine, sql: str):
    conn = LazyConnection(engine)
    try:
        return await (await conn.driver()).fetchval(sql)
    finally:
        await conn.close()


async def test_the_pool_keeps_its_size_and_closes_the_overflow_connection_it_gets_back(engine):
    held = [LazyConnection(engine) for _ in range(3)]  # pool_size 2 and one overflow
    pids = {await (await conn.driver()).fetchval("SELECT pg_backend_pid()") for conn in held}
    assert len(pids) == 3 and engine.pool.checkedout() == 3

    for conn in held:
        await conn.close()

    assert engine.pool.checkedout() == 0 and engine.pool.checkedin() == 2
    alive = await fetch(engine, "SELECT array_agg(pid) FROM pg_stat_activity")
    assert len(pids & set(alive)) == 2  # the overflow connection was closed, the two kept ones were not


async def test_an_idle_connection_is_reused_and_none_stays_checked_out(engine):
    pids = [await fetch(engine, "SELECT pg_backend_pid()") for _ in range(20)]

    assert len(set(pids)) == 1
    assert engine.pool.checkedout() == 0 and engine.pool.checkedin() == 1


async def test_a_connection_the_server_closed_is_replaced_at_checkout_with_no_stray_coroutine(engine):
    victim, other = LazyConnection(engine), LazyConnection(engine)
    driver, killer = await victim.driver(), await other.driver()
    killed = await driver.fetchval("SELECT pg_backend_pid()")
    await victim.close()
    await killer.fetchval(f"SELECT pg_terminate_backend({killed})")
    await other.close()
    while not driver.is_closed():  # asyncpg sees the end of stream a few event-loop turns later
        await asyncio.sleep(0.01)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        replaced = await fetch(engine, "SELECT pg_backend_pid()")
        gc.collect()

    assert replaced != killed
    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []  # never awaited
    assert engine.pool.checkedout() == 0


async def test_outside_greenlet_spawn_the_engine_refuses_to_connect_and_the_next_checkout_does(engine):
    with pytest.raises(sa_exc.MissingGreenlet):
        engine.sync_engine.raw_connection()  # an empty pool: it would have to connect here

    assert engine.pool.checkedout() == 0
    assert await fetch(engine, "SELECT 1") == 1
