"""Where a scenario's time goes inside Atrium: its requests driven straight into the ASGI app (no server, no
network; one at a time) under cProfile, each function's own time put in a layer by its module: framework
(FastAPI, Starlette), validation (pydantic), DI (dependency-injector, the use-case wiring), SQL (asyncpg,
SQLAlchemy, the postgres adapters), serialization (JSON), logging, Argon2, imaging, the rest (use cases, domain,
asyncio, the standard library).

Usage: .venv/bin/python bench/where_time_goes.py [--only get_event,...] [--requests 2000]
Needs bench/run.py's seeded cluster (bench/.work/pg); prints one Markdown table.
"""

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import scenarios  # noqa: E402
from bench.run import JWT_SECRET, SECRET_KEY, WORK  # noqa: E402
from bench.seed import seed  # noqa: E402

LAYERS = [  # the first whose marker is in a function's file name takes its time
    ("logging", ("/logging/", "entrypoints/logs.py")),
    ("Argon2", ("argon2", "adapters/passwords.py")),
    ("imaging", ("/PIL/", "imaging/pillow", "adapters/blobs.py")),
    ("serialization", ("/json/", "exact_json", "to_json", "dump_json", "json.encoder", "json.decoder")),
    ("validation", ("/pydantic/", "pydantic_core", "annotated_types")),
    ("DI", ("dependency_injector", "entrypoints/container", "entrypoints/api/dependencies.py")),
    ("SQL", ("/asyncpg/", "asyncpg.", "/sqlalchemy/", "sqlalchemy.", "adapters/postgres/")),
    ("framework", ("/fastapi/", "/starlette/", "entrypoints/api/middleware.py", "entrypoints/api/routing.py",
                   "/anyio/")),
    ("use cases and domain", ("/application/", "/domain/")),
    ("routes (mapping to response models)", ("entrypoints/api/",)),
    ("tokens", ("/jwt/", "adapters/tokens.py", "adapters/ended_sessions.py")),
]


def layer(filename: str, function: str) -> str:
    """The layer of a function: by its file, or for a built-in (file `~`) by its qualified name."""
    where = function if filename == "~" else filename
    for name, markers in LAYERS:
        if any(marker in where for marker in markers):
            return name
    return "asyncio, stdlib, other"


def scope_of(line: str) -> tuple[dict, bytes]:
    method, target, header_text, body = line.split("\t")
    path, _, query = target.partition("?")
    headers = [(k.lower().encode(), v.encode()) for k, v in (p.split(":", 1) for p in header_text.split("|") if p)]
    data = body.encode()
    if data:
        headers.append((b"content-length", str(len(data)).encode()))
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "path": path, "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
            "headers": headers, "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000)}, data


async def drive(app, lines: list[str], count: int) -> list[int]:
    statuses = []
    for i in range(count):
        scope, data = scope_of(lines[i % len(lines)])

        async def receive(data=data):
            return {"type": "http.request", "body": data, "more_body": False}

        async def send(message):
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        await app(scope, receive, send)
    return statuses


async def profile(names: list[str], count: int) -> list[str]:
    from adapters.postgres.embedded import EmbeddedPostgres
    from entrypoints.api.app import create_app
    from entrypoints.container import build_container
    from entrypoints.logs import configure_logging
    from entrypoints.settings import Settings

    database = EmbeddedPostgres(WORK / "pg", database="atrium_bench")
    url = database.start()
    try:
        owners = await seed(url, JWT_SECRET, WORK)
        settings = Settings(_env_file=None, storage="postgres", database_url=url, jwt_secret=JWT_SECRET,
                            secret_key=SECRET_KEY, data_dir=WORK / "data", access_token_ttl_seconds=86400,
                            api_key_rate_per_second=1e6, login_attempts_per_ip=10**8,
                            login_failures_per_address=10**8, login_failures_per_hour=10**8,
                            login_failures_per_day=10**8, log_level="info", log_format="json")
        configure_logging("info", "json")
        import logging
        logging.getLogger().handlers[0].stream = open(os.devnull, "w")
        app = create_app(build_container(settings))
        rows = ["| scenario | µs per request (wall, under the profiler, one at a time) | " + " | ".join(n for n, _ in LAYERS) +
                " | asyncio, stdlib, other |", "|---" * (len(LAYERS) + 3) + "|"]
        async with app.router.lifespan_context(app):
            for scenario in [s for s in scenarios.ALL if s.name in names]:
                lines = scenario.requests(owners)
                runs = count // 10 if scenario.name == "login" else count  # Argon2: 30 ms each
                await drive(app, lines, min(len(lines), 5000))  # warm-up: connections, statements, token cache
                profiler = cProfile.Profile(time.process_time)  # CPU time: waiting on PostgreSQL is not counted
                started = time.perf_counter()
                profiler.enable()
                statuses = await drive(app, lines, runs)
                profiler.disable()
                wall = (time.perf_counter() - started) / runs * 1e6
                if os.environ.get("BENCH_PROFILE_TOP"):
                    pstats.Stats(profiler).sort_stats("tottime").print_stats(int(os.environ["BENCH_PROFILE_TOP"]))
                assert all(s < 400 for s in statuses), f"{scenario.name}: {sorted(set(statuses))}"
                totals: dict[str, float] = {}
                for (filename, _, function), (_, _, own, _, _) in pstats.Stats(profiler).stats.items():
                    totals[layer(filename, function)] = totals.get(layer(filename, function), 0.0) + own
                whole = sum(totals.values())
                cells = [f"{totals.get(n, 0.0) / whole * 100:.0f} %" for n, _ in LAYERS]
                rows.append(f"| {scenario.name} | {wall:.0f} | " + " | ".join(cells) +
                            f" | {totals.get('asyncio, stdlib, other', 0.0) / whole * 100:.0f} % |")
                print(rows[-1], flush=True)
    finally:
        database.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default=",".join(s.name for s in scenarios.ALL))
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    import uvloop

    print("\n".join(uvloop.run(profile(args.only.split(","), args.requests))))  # the loop `atrium serve` runs


if __name__ == "__main__":
    main()
