"""Memory soak: Atrium as `make run` starts it, driven by wrk with a mix of reads, writes, generations and logins,
its worker's resident size recorded as the requests add up (issue 18: ≤ 150 MB after 200,000 and flat, a second
200,000 adding < 5 %).

Usage: .venv/bin/python bench/soak.py [--requests 400000] [--connections 16] [--out PATH]
Uses bench/run.py's seeded cluster (bench/.work/pg) and writes bench/results/<date>-soak.md.
"""

import argparse
import asyncio
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import scenarios  # noqa: E402
from bench.run import ATRIUM, JWT_SECRET, SECRET_KEY, WORK, Server, ensure_wrk, run_wrk  # noqa: E402
from bench.seed import Owner, seed  # noqa: E402


def mixed(owners: list[Owner]) -> list[str]:
    """Per owner: its five events read, its event list twice, an expense created; an image generated for every
    fourth owner and a login for every twentieth (about 0.6 % of the requests: Argon2 costs ~30 ms of CPU)."""
    lines: list[str] = []
    for index, owner in enumerate(owners):
        one = [owner]
        lines += scenarios.get_event(one) + scenarios.list_events(one) * 2 + scenarios.create_expense(one)
        if index % 4 == 0:
            lines += scenarios.generate_image(one)
        if index % 20 == 0:
            lines += scenarios.login(one)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--chunk-seconds", type=int, default=20)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    wrk = ensure_wrk()
    WORK.mkdir(parents=True, exist_ok=True)
    from adapters.postgres.embedded import EmbeddedPostgres
    from adapters.postgres.roles import as_role, migrate

    database = EmbeddedPostgres(WORK / "pg", database="atrium_bench")
    url = database.start()
    app_url = as_role(url, "atrium_app")  # as bench/run.py: Atrium as its app role, under row-level security
    migrate(url, app_url, "atrium_app")
    owners = asyncio.run(seed(url, JWT_SECRET, WORK))
    requests_file = WORK / "soak.requests"
    requests_file.write_text("\n".join(mixed(owners)) + "\n")
    env = {"ATRIUM_DATABASE_URL": app_url, "ATRIUM_MIGRATION_DATABASE_URL": url, "ATRIUM_JWT_SECRET": JWT_SECRET, "ATRIUM_SECRET_KEY": SECRET_KEY,
           "ATRIUM_ACCESS_TOKEN_TTL_SECONDS": "86400", "ATRIUM_DATA_DIR": str(WORK / "data"),
           "ATRIUM_API_KEY_RATE_PER_SECOND": "1000000", "ATRIUM_LOGIN_ATTEMPTS_PER_IP": "100000000",
           "ATRIUM_LOGIN_FAILURES_PER_ADDRESS": "100000000", "ATRIUM_LOGIN_FAILURES_PER_HOUR": "100000000",
           "ATRIUM_LOGIN_FAILURES_PER_DAY": "100000000", "ATRIUM_LOG_LEVEL": "info", "ATRIUM_LOG_FORMAT": "json"}
    atrium = Server("atrium-soak", [ATRIUM, "serve"], env, "/ready")
    points: list[tuple[int, float, float]] = []  # (requests served, RSS MB, seconds since start)
    errors = 0
    started = time.monotonic()
    try:
        atrium.start()
        points.append((0, atrium.worker_rss_mb(), 0.0))
        print(f"started: RSS {points[0][1]:.0f} MB", flush=True)
        marks = [args.requests // 2, args.requests]
        at_marks: list[tuple[int, float]] = []
        while atrium.requests < args.requests:
            sample = run_wrk(wrk, atrium, requests_file, args.connections, args.chunk_seconds)
            errors += sample.errors
            time.sleep(1)  # the requests wrk left in flight finish (a login's hash holds 19 MiB while it runs)
            points.append((atrium.requests, atrium.worker_rss_mb(), time.monotonic() - started))
            print(f"{atrium.requests:>8} requests  RSS {points[-1][1]:6.1f} MB  {sample.rps:6.0f} req/s  "
                  f"{sample.cpu_us:5.0f} µs CPU/req  errors {sample.errors}", flush=True)
            while marks and atrium.requests >= marks[0]:
                at_marks.append((marks.pop(0), points[-1][1]))
    finally:
        atrium.stop()
        database.stop()
    write(points, at_marks, errors, args)


def write(points, at_marks, errors: int, args) -> None:
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    (half, first), (whole, second) = at_marks
    lines = [f"# Memory soak {day}", "",
             f"`bench/soak.py`: Atrium as `make run` starts it (1 worker, JSON access log on), wrk at "
             f"{args.connections} connections in {args.chunk_seconds} s chunks, cycling through a mix per owner: "
             f"its 5 events read, its event list twice, an expense created, an image generated for every fourth "
             f"owner and a login for every twentieth (Argon2). RSS is the worker's resident size a second after each "
             f"chunk, once the requests in flight have finished.",
             "", f"- after {half:,} requests: {first:.1f} MB (goal ≤ 150 MB)",
             f"- after {whole:,} requests: {second:.1f} MB ({(second / first - 1) * 100:+.1f} % over the second "
             f"half; goal < 5 %)", f"- errors: {errors}", "",
             "| requests served | RSS MB | seconds |", "|---|---|---|"]
    lines += [f"| {served} | {rss:.1f} | {seconds:.0f} |" for served, rss, seconds in points]
    path = args.out or ROOT / "bench" / "results" / f"{day}-soak.md"
    path.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
