"""API-key verification + metering throughput: Atrium's use case against bare asyncpg, on one database.

Run: `.venv/bin/python bench/api_key_metering.py [--seconds 3] [--rounds 3] [--concurrency 1 16]`.
Starts a throwaway embedded PostgreSQL, migrates it, and measures side by side, round after round:

- atrium: what a metered route does before its work (GenerateImage's claim without an idempotency key), from the
  container on postgres: `AuthenticateApiKey` (hash lookup, key checks, last_used_at touch, the shared PostgreSQL
  rate limiter), then `spend_quota` (the guarded daily-usage upsert); two units of work + one limiter transaction;
- bare lookup + upsert: asyncpg, the same SELECT by key hash and the same guarded upsert, autocommit;
- bare upsert: asyncpg, the guarded upsert alone (the floor).

Each worker uses its own key, so no two workers contend for one counter row. Prints a Markdown table and
writes it to bench/results/<date>-api-key-metering.md.
"""

import argparse
import asyncio
import hashlib
import os
import platform
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import uvloop  # noqa: E402

from adapters.clock import SystemClock  # noqa: E402
from application.identity.usage import spend_quota  # noqa: E402
from domain.identity.usage import usage_day  # noqa: E402
from bench.throwaway import run_and_report  # noqa: E402
from entrypoints.container import build_container  # noqa: E402
from entrypoints.settings import Settings  # noqa: E402

QUOTA = 1_000_000
LOOKUP = "SELECT id, owner_id, daily_quota, revoked_at, expires_at FROM api_keys " \
         "WHERE key_hash = $1 OR previous_key_hash = $1"
SPEND = """
INSERT INTO api_key_usage (owner_id, api_key_id, usage_date, used, quota) VALUES ($1, $2, $3, 1, $4)
ON CONFLICT (api_key_id, usage_date) DO UPDATE
SET used = api_key_usage.used + EXCLUDED.used, quota = EXCLUDED.quota
WHERE api_key_usage.used + EXCLUDED.used <= EXCLUDED.quota
RETURNING used
"""

Operation = Callable[[int], Awaitable[None]]


async def measure(operation: Operation, workers: int, seconds: float) -> tuple[int, float]:
    """Run `workers` loops of `operation(worker)` for `seconds`; return (operations, elapsed)."""
    done = [0] * workers
    deadline = time.perf_counter() + seconds

    async def loop(worker: int) -> None:
        while time.perf_counter() < deadline:
            await operation(worker)
            done[worker] += 1

    started = time.perf_counter()
    await asyncio.gather(*(loop(w) for w in range(workers)))
    return sum(done), time.perf_counter() - started


async def bench(url: str, data_dir: Path, seconds: float, rounds: int, concurrencies: list[int]) -> str:
    workers = max(concurrencies)
    settings = Settings(_env_file=None, storage="postgres", database_url=url, data_dir=data_dir,
                        jwt_secret="bench-" + "x" * 40, api_key_rate_per_second=1_000_000,
                        api_key_rate_burst=1_000_000, db_pool_size=workers + 4, db_max_overflow=4)
    container = build_container(settings)
    owner = await container.identity.register_account()(email="bench@example.com", username="bench",
                                               password="correct horse")
    keys = [await container.identity.create_api_key()(owner.id, name=f"bench-{n}", daily_quota=QUOTA)
            for n in range(workers)]
    secrets = [issued.secret for issued in keys]
    authenticate, uow = container.identity.authenticate_api_key(), container.infrastructure.uow
    pool = await asyncpg.create_pool(url, min_size=workers,
                                     max_size=workers + 4)
    clock = SystemClock()

    async def atrium(worker: int) -> None:
        caller = await authenticate(secrets[worker])
        async with uow() as tx:
            await spend_quota(tx.usage, caller, clock.now())
            await tx.commit()

    async def bare_lookup_and_upsert(worker: int) -> None:
        async with pool.acquire() as conn:
            key = await conn.fetchrow(LOOKUP, hashlib.sha256(secrets[worker].encode()).hexdigest())
            now = clock.now()
            if key["revoked_at"] is not None or (key["expires_at"] is not None and now >= key["expires_at"]):
                raise RuntimeError("the key should be usable")
            if await conn.fetchval(SPEND, key["owner_id"], key["id"], usage_day(now), key["daily_quota"]) is None:
                raise RuntimeError("quota exhausted")

    async def bare_upsert(worker: int) -> None:
        key = keys[worker].key
        if await pool.fetchval(SPEND, key.owner_id, key.id, usage_day(clock.now()), QUOTA) is None:
            raise RuntimeError("quota exhausted")

    variants = {"atrium (AuthenticateApiKey + spend_quota, container on postgres)": atrium,
                "bare asyncpg: lookup by hash + guarded upsert": bare_lookup_and_upsert,
                "bare asyncpg: guarded upsert only": bare_upsert}
    rows, operations, load_before = [], 0, os.getloadavg()[0]
    try:
        for concurrency in concurrencies:
            for operation in variants.values():  # warm-up: connections, prepared statements
                operations += (await measure(operation, concurrency, 0.3))[0]
            rates: dict[str, list[float]] = {name: [] for name in variants}
            for _ in range(rounds):
                for name, operation in variants.items():
                    count, elapsed = await measure(operation, concurrency, seconds)
                    operations += count
                    rates[name].append(count / elapsed)
            atrium_rate = statistics.median(rates[next(iter(variants))])
            for name, values in rates.items():
                rate = statistics.median(values)
                rows.append(f"| {concurrency} | {name} | {rate:,.0f} | {atrium_rate / rate:.2f} | "
                            f"{rate / atrium_rate:.1f}× |")
        metered = await pool.fetchval("SELECT sum(used) FROM api_key_usage")
        if metered != operations:
            raise AssertionError(f"{operations} operations but {metered} units metered")
    finally:
        await pool.close()
        await container.infrastructure.engine().dispose()
    return "\n".join([
        f"# API-key verification + metering throughput ({clock.now().date()})",
        "",
        f"One throwaway embedded PostgreSQL (Unix socket), {platform.python_implementation()} "
        f"{platform.python_version()} with uvloop on {platform.machine()}, {os.cpu_count()} CPUs; {rounds} rounds of {seconds:g} s per variant, "
        "interleaved, median ops/s. Each worker meters its own key (no row contention). "
        f"1-minute load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
        "(other processes share the machine; the ratios, measured round by round, are steadier than the rates).",
        "",
        "| concurrency | variant | ops/s (median) | atrium ÷ variant | variant ÷ atrium |",
        "|---:|---|---:|---:|---:|",
        *rows,
        "",
        f"Check: {operations:,} operations ran (warm-ups included) and api_key_usage holds exactly {metered:,} units.",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16])
    args = parser.parse_args()
    run_and_report("api-key-metering", lambda url, workdir: bench(url, workdir, args.seconds, args.rounds, args.concurrency))


if __name__ == "__main__":
    main()
