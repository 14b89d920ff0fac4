"""What a pooled-connection check costs per unit of work: none, the closed-connection listener, pool_pre_ping.

Run: `.venv/bin/python -m tests.reliability.bench_pool_checks` (a throwaway embedded PostgreSQL; ~1 minute).
The numbers are in docs/reliability.md.
"""

import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import event

from adapters.postgres.database import _replace_if_closed, create_engine
from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrations import upgrade
from adapters.postgres.unit_of_work import PostgresUnitOfWork

VARIANTS = ("no check", "closed-connection listener", "pool_pre_ping")


def engine_for(url: str, variant: str):
    engine = create_engine(url, pool_size=10)
    if variant != "closed-connection listener":
        event.remove(engine.sync_engine, "checkout", _replace_if_closed)
    if variant == "pool_pre_ping":
        engine.sync_engine.pool._pre_ping = True
    return engine


async def microseconds_per_unit_of_work(url: str, variant: str, concurrency: int, count: int = 3000) -> float:
    engine = engine_for(url, variant)
    missing = uuid.uuid4()

    async def one() -> None:
        async with PostgresUnitOfWork(engine) as uow:
            await uow.accounts.get(missing)

    async def worker(times: int) -> None:
        for _ in range(times):
            await one()

    await worker(200)  # warm the pool
    started = time.perf_counter()
    await asyncio.gather(*(worker(count // concurrency) for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    await engine.dispose()
    return elapsed / count * 1e6


async def main(url: str) -> None:
    for concurrency in (1, 10):
        runs = {variant: [] for variant in VARIANTS}
        for _ in range(5):
            for variant in VARIANTS:
                runs[variant].append(await microseconds_per_unit_of_work(url, variant, concurrency))
        print(f"concurrency {concurrency}: " + ", ".join(
            f"{variant} {statistics.median(values):.0f} µs" for variant, values in runs.items()))


if __name__ == "__main__":
    server = EmbeddedPostgres(Path(tempfile.mkdtemp(prefix="atrium-bench-")) / "pg", throwaway=True)
    database_url = server.start()
    try:
        upgrade(database_url)
        asyncio.run(main(database_url))
    finally:
        server.stop()
