"""Units of work get a pooled connection in the order they asked for one, so none waits out the pool timeout."""

import asyncio

import pytest

from adapters.postgres.database import create_engine
from adapters.postgres.unit_of_work import PostgresUnitOfWork


@pytest.mark.parametrize("storage", ["postgres"], indirect=True)
async def test_a_unit_of_work_arriving_as_a_connection_returns_queues_behind_the_waiting_ones(postgres_url, storage):
    engine = create_engine(postgres_url, pool_size=1, max_overflow=0)
    gate = asyncio.Semaphore(1)
    served: list[str] = []

    async def work(name: str, before_leaving=None) -> None:
        async with PostgresUnitOfWork(engine, gate):
            served.append(name)
            await asyncio.sleep(0.01)
            if before_leaving is not None:
                before_leaving()

    late: list[asyncio.Task] = []
    first = asyncio.create_task(work("first", lambda: late.append(asyncio.create_task(work("late")))))
    await asyncio.sleep(0.005)  # `first` holds the only connection
    waiting = [asyncio.create_task(work(f"waiting {i}")) for i in range(3)]
    await asyncio.gather(first, *waiting)
    await asyncio.gather(*late)
    await engine.dispose()
    assert served == ["first", "waiting 0", "waiting 1", "waiting 2", "late"]
