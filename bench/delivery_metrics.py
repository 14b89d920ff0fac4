"""The DORA metrics over 10,000 deployments and 100,000 changes: Atrium's use case against its bare SQL statement.

Run: `.venv/bin/python bench/delivery_metrics.py [--deployments 10000] [--changes 100000] [--repeats 7]`.
Starts a throwaway embedded PostgreSQL, migrates it, registers one account with one source and bulk-loads, with
INSERT … SELECT over generate_series: deployments every 2.6 hours over three years (one in 20 failed, one in 10
to staging), the changes (each shipped by one deployment, first commit 1–100 hours before it), the commits each
deployment shipped, and an incident after one deployment in 15 (most resolved). Then VACUUM ANALYZE and,
alternating, `--repeats` times each:

- atrium: `GetMetrics` from the container on postgres (a unit of work, the account's time zone, its sources,
  the one statement that computes all four metrics with their bands and weekly series);
- bare SQL: that statement alone over asyncpg on one open connection, its row fetched and nothing else.

Checks that the report equals `dora_report` (the pure domain functions) on the same rows, prints the medians as a
Markdown table and writes it to bench/results/<date>-delivery-metrics.md.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402

from adapters.clock import SettableClock, SystemClock  # noqa: E402
from adapters.postgres.delivery.metrics import REPORT  # noqa: E402
from adapters.postgres.delivery.records import attribute  # noqa: E402
from application.delivery.metrics import PeriodQuery  # noqa: E402
from bench.throwaway import run_and_report  # noqa: E402
from domain.delivery.benchmarks import parse_benchmark  # noqa: E402
from domain.delivery.listing import combined  # noqa: E402
from domain.delivery.records import Change, DeployedCommit, Deployment, DeploymentResult, Incident  # noqa: E402
from domain.delivery.report import History, dora_report  # noqa: E402
from domain.delivery.window import Granularity  # noqa: E402
from entrypoints.container import build_container  # noqa: E402
from entrypoints.settings import Settings  # noqa: E402
from dependency_injector import providers  # noqa: E402

START = datetime(2023, 1, 2, tzinfo=UTC)
LOAD = [
    """INSERT INTO delivery_deployments (owner_id, source_id, key, name, environment, production, result, sha,
                                        finished_at)
       SELECT $1, $2, 'deployment:' || i, 'deploy ' || i, CASE WHEN i % 10 = 0 THEN 'staging' ELSE 'production' END,
              i % 10 <> 0, CASE WHEN i % 20 = 7 THEN 'failure' ELSE 'success' END, md5('d' || i),
              $3::timestamptz + i * interval '156 minutes'
       FROM generate_series(1, $4) AS i""",
    """INSERT INTO delivery_changes (owner_id, source_id, key, title, first_commit_at, merged_at, merge_sha)
       SELECT $1, $2, 'pr:' || i, 'change ' || i,
              $3::timestamptz + (i * $4 / $5) * interval '156 minutes' - (1 + i % 100) * interval '1 hour',
              $3::timestamptz + (i * $4 / $5) * interval '156 minutes' - interval '30 minutes', md5('c' || i)
       FROM generate_series(1, $5) AS i""",
    """INSERT INTO delivery_deployed_commits (owner_id, source_id, deployment_key, sha)
       SELECT $1, $2, 'deployment:' || greatest(i * $4 / $5, 1), md5('c' || i)
       FROM generate_series(1, $5) AS i WHERE $3::timestamptz IS NOT NULL""",
    """INSERT INTO delivery_incidents (owner_id, source_id, key, title, created_at, resolved_at)
       SELECT $1, $2, 'incident:' || i, 'incident ' || i, $3::timestamptz + i * interval '156 minutes' + interval '1 hour',
              CASE WHEN i % 4 = 0 THEN NULL
                   ELSE $3::timestamptz + i * interval '156 minutes' + (2 + i % 30) * interval '1 hour' END
       FROM generate_series(15, $4, 15) AS i""",
    # What the records' writes keep: each change's first production deployment (attributed here in one go).
    attribute().replace(":owner_id", "$1").replace(":source_id", "$2"),
]


async def timed(operation):
    started = time.perf_counter()
    result = await operation()
    return time.perf_counter() - started, result


async def bench(url: str, data_dir: Path, deployments: int, changes: int, repeats: int) -> str:
    settings = Settings(_env_file=None, storage="postgres", database_url=url, data_dir=data_dir,
                        jwt_secret="bench-" + "x" * 40, secret_key="bench-" + "y" * 40, db_pool_size=2)
    container = build_container(settings)
    last_day = (START + timedelta(minutes=156 * deployments)).date()
    container.infrastructure.clock.override(providers.Object(SettableClock(datetime.combine(
        last_day, datetime.min.time(), UTC) + timedelta(hours=12))))
    owner = await container.identity.register_account()(email="bench@example.com", username="bench",
                                                         password="correct horse")
    source = await container.delivery.create_source()(owner.id, kind="github", repository="bench/app")
    conn = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        arguments = (owner.id, source.id, START, deployments, changes)
        for statement in LOAD:
            await conn.execute(statement, *arguments[: max(int(part[0]) for part in statement.split("$")[1:])])
        loading = time.perf_counter() - started
        for table in ("delivery_deployments", "delivery_changes", "delivery_deployed_commits", "delivery_incidents"):
            await conn.execute(f"VACUUM ANALYZE {table}")
        query = PeriodQuery(first=START.date(), last=last_day, time_zone="Europe/Oslo")
        metrics = container.delivery.metrics()
        period = (await metrics(owner.id, query)).period
        sql, parameters = _bare(period)

        async def atrium():
            return await metrics(owner.id, query)

        async def bare_sql():
            return await conn.fetchrow(sql, *parameters)

        runs = {"atrium": [], "bare": []}
        results = {"atrium": await atrium(), "bare": await bare_sql()}  # warm-up
        for _ in range(repeats):
            for name, operation in (("atrium", atrium), ("bare", bare_sql)):
                seconds, results[name] = await timed(operation)
                runs[name].append(seconds)
        expected = await _domain(conn, owner.id, period)
        if results["atrium"].report != expected:
            raise AssertionError("the SQL report and the domain's dora_report disagree")
        server = await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()
        await container.infrastructure.engine().dispose()

    atrium_ms, bare_ms = (statistics.median(runs[name]) * 1000 for name in ("atrium", "bare"))
    spread = {name: f"{min(v) * 1000:,.1f}–{max(v) * 1000:,.1f}" for name, v in runs.items()}
    r = results["atrium"].report
    return "\n".join([
        f"# Delivery metrics over {deployments:,} deployments and {changes:,} changes ({SystemClock().now().date()})",
        "",
        f"One owner, one source, {START:%Y-%m-%d} to {last_day}: {deployments:,} deployments (every 2.6 h), "
        f"{changes:,} changes and as many deployed commits, {deployments // 15:,} incidents. Period: all of it "
        f"({(last_day - START.date()).days + 1:,} days, weekly series, Europe/Oslo). Throwaway embedded PostgreSQL "
        f"{server} (Unix socket), {platform.python_implementation()} {platform.python_version()} with uvloop on "
        f"{platform.machine()}, {os.cpu_count()} CPUs. Loaded with INSERT … SELECT generate_series in "
        f"{loading:.1f} s, then VACUUM ANALYZE. {repeats} runs each after a warm-up, alternating; median.",
        "",
        "| variant | median ms | min–max ms | ÷ bare SQL |",
        "|---|---:|---:|---:|",
        f"| atrium: GetMetrics (container on postgres: 3 statements) | {atrium_ms:,.1f} | {spread['atrium']} | "
        f"{atrium_ms / bare_ms:.2f} |",
        f"| bare SQL: the report statement over asyncpg | {bare_ms:,.1f} | {spread['bare']} | 1.00 |",
        "",
        f"Result: {r.deployment_frequency.deployments:,} production deployments, median lead time "
        f"{r.lead_time_for_changes.median_hours:.1f} h over {r.lead_time_for_changes.changes:,} changes, change "
        f"failure rate {r.change_failure_rate.value:.3f}, median recovery {r.failed_deployment_recovery_time.median_hours:.1f} h. "
        "Check: equal to `dora_report` (the domain functions) over the same rows.",
        "",
    ])


def _bare(period):
    """The report statement with asyncpg's $n placeholders and its parameters, as the adapter sends it."""
    from sqlalchemy.dialects.postgresql.asyncpg import dialect

    from adapters.postgres.delivery.metrics import PostgresMetricsQuery, _days

    window = period.window
    values = {**PostgresMetricsQuery(None)._chosen(period), "tz": window.time_zone.key, "unit": "week",
              "buckets": _days(window.buckets(Granularity.WEEK)), "weeks": _days(window.buckets(Granularity.WEEK)),
              "months": _days(window.buckets(Granularity.MONTH))}
    compiled = REPORT.compile(dialect=dialect())
    return str(compiled), [values[name] for name in compiled.positiontup]


async def _domain(conn, owner_id, period):
    history = History(
        [Deployment(r["key"], r["name"], r["environment"], r["production"], DeploymentResult(r["result"]), r["sha"],
                    r["finished_at"]) for r in await conn.fetch("SELECT * FROM delivery_deployments")],
        [Change(r["key"], r["title"], r["first_commit_at"], r["merged_at"], r["merge_sha"])
         for r in await conn.fetch("SELECT * FROM delivery_changes")],
        [Incident(r["key"], r["title"], r["created_at"], r["resolved_at"])
         for r in await conn.fetch("SELECT * FROM delivery_incidents")],
        [DeployedCommit(r["deployment_key"], r["sha"]) for r in await conn.fetch("SELECT * FROM delivery_deployed_commits")],
    )
    return dora_report(combined({period.source_ids[0]: history}), period.window, Granularity.WEEK,
                       parse_benchmark(None))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployments", type=int, default=10_000)
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    run_and_report("delivery-metrics", lambda url, workdir: bench(url, workdir, args.deployments, args.changes,
                                                                  args.repeats))


if __name__ == "__main__":
    main()
