"""The ledger's monthly report over many expenses of one owner: Atrium's use case against the bare SQL aggregate.

Run: `.venv/bin/python bench/ledger_monthly_report.py [--expenses 1000000] [--months 36] [--repeats 7]`.
Starts a throwaway embedded PostgreSQL, migrates it, registers one account (with its default categories) and
bulk-loads the expenses with one INSERT … SELECT over generate_series (exact NUMERIC amounts, 2 currencies,
6 categories, spread over `--months` months), then VACUUM ANALYZE. Then, alternating, `--repeats` times each:

- atrium: `GetMonthlyReport` from the container on postgres (a unit of work, the account's currency,
  the repository's GROUP BY, every month filled in, currencies never summed);
- bare SQL: the same GROUP BY over asyncpg on one open connection, rows fetched and nothing else.

Prints the medians and their ratio as a Markdown table and writes it to bench/results/<date>-ledger-monthly-report.md.
"""

import argparse
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import asyncpg  # noqa: E402
import uvloop  # noqa: E402

from adapters.clock import SystemClock  # noqa: E402
from domain.ledger.periods import add_months, month_end  # noqa: E402
from bench.throwaway import run_and_report  # noqa: E402
from entrypoints.container import build_container  # noqa: E402
from entrypoints.settings import Settings  # noqa: E402

FIRST_MONTH = date(2023, 1, 1)
LOAD = """
INSERT INTO expenses (id, owner_id, category_id, amount, currency, spent_on, description, payment_method,
                      tags, tag_keys, notes, receipt_url, fingerprint, created_at, updated_at)
SELECT gen_random_uuid(), $1, ($2::uuid[])[1 + i % 6], ((i::bigint * 7919) % 20000 + 1)::numeric / 100,
       CASE WHEN i % 10 = 0 THEN 'USD' ELSE 'EUR' END, $3::date + (i % $4), 'expense ' || i,
       (ARRAY['cash', 'card', 'bank_transfer', 'other'])[1 + i % 4], '{}', '{}', NULL, NULL, md5(i::text),
       now(), now()
FROM generate_series(1, $5) AS i
"""
AGGREGATE = """
SELECT date_trunc('month', spent_on::timestamp)::date AS month, category_id, currency, sum(amount), count(*)
FROM expenses
WHERE owner_id = $1 AND spent_on >= $2 AND spent_on <= $3
GROUP BY month, currency, category_id
ORDER BY month, currency COLLATE "C", category_id
"""


async def timed(operation) -> tuple[float, object]:
    started = time.perf_counter()
    result = await operation()
    return time.perf_counter() - started, result


async def bench(url: str, data_dir: Path, expenses: int, months: int, repeats: int) -> str:
    settings = Settings(_env_file=None, storage="postgres", database_url=url, data_dir=data_dir,
                        jwt_secret="bench-" + "x" * 40, db_pool_size=2, db_max_overflow=0)
    container = build_container(settings)
    owner = await container.identity.register_account()(email="bench@example.com", username="bench",
                                                         password="correct horse")
    categories = [c.id for c in await container.ledger.list_categories()(owner.id)]
    last_month = add_months(FIRST_MONTH, months - 1)
    days = (month_end(last_month) - FIRST_MONTH).days + 1
    conn = await asyncpg.connect(url)
    try:
        loading, _ = await timed(lambda: conn.execute(LOAD, owner.id, categories, FIRST_MONTH, days, expenses))
        await conn.execute("VACUUM ANALYZE expenses")
        report = container.ledger.monthly_report()

        async def atrium():
            return await report(owner.id, first=FIRST_MONTH, last=last_month)

        async def bare_sql():
            return await conn.fetch(AGGREGATE, owner.id, FIRST_MONTH, month_end(last_month))

        runs = {"atrium": [], "bare": []}
        results = {"atrium": await atrium(), "bare": await bare_sql()}  # warm-up: connections, plans, caches
        for _ in range(repeats):
            for name, operation in (("atrium", atrium), ("bare", bare_sql)):
                seconds, results[name] = await timed(operation)
                runs[name].append(seconds)
        _check(results["atrium"], results["bare"], expenses)
        server = await conn.fetchval("SHOW server_version")
    finally:
        await conn.close()
        await container.infrastructure.engine().dispose()

    atrium_ms, bare_ms = (statistics.median(runs[name]) * 1000 for name in ("atrium", "bare"))
    spread = {name: f"{min(v) * 1000:,.1f}–{max(v) * 1000:,.1f}" for name, v in runs.items()}
    groups = len(results["bare"])
    return "\n".join([
        f"# Ledger monthly report over {expenses:,} expenses ({SystemClock().now().date()})",
        "",
        f"One owner, {months} months ({FIRST_MONTH:%Y-%m} to {last_month:%Y-%m}), 6 categories, 2 currencies: "
        f"{groups:,} (month, currency, category) groups. Throwaway embedded PostgreSQL {server} (Unix socket), "
        f"{platform.python_implementation()} {platform.python_version()} with uvloop on {platform.machine()}, "
        f"{os.cpu_count()} CPUs. Loaded with one INSERT … SELECT generate_series in {loading:.1f} s, then "
        f"VACUUM ANALYZE. {repeats} runs each after a warm-up, alternating; median.",
        "",
        "| variant | median ms | min–max ms | ÷ bare SQL |",
        "|---|---:|---:|---:|",
        f"| atrium: GetMonthlyReport (container on postgres) | {atrium_ms:,.1f} | {spread['atrium']} | "
        f"{atrium_ms / bare_ms:.2f} |",
        f"| bare SQL: the same GROUP BY over asyncpg | {bare_ms:,.1f} | {spread['bare']} | 1.00 |",
        "",
        "Check: both give the same totals and counts per month and currency, and the counts add up to "
        f"{expenses:,}.",
        "",
    ])


def _check(months, rows, expenses: int) -> None:
    """The use case and the bare query agree, month by month and currency by currency."""
    bare = defaultdict(lambda: [0, 0])
    for row in rows:
        bare[(row["month"], row["currency"])][0] += row["sum"]
        bare[(row["month"], row["currency"])][1] += row["count"]
    atrium = {(m.month, t.currency): [t.total.amount, t.count] for m in months for t in m.totals if t.count}
    if atrium != dict(bare) or sum(count for _, count in atrium.values()) != expenses:
        raise AssertionError("the use case and the bare SQL disagree")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--expenses", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    run_and_report("ledger-monthly-report", lambda url, workdir: bench(url, workdir, args.expenses, args.months, args.repeats))


if __name__ == "__main__":
    main()
