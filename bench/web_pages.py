"""Server-side render time of every web page on the demo data: the target is p95 under 30 ms.

Run: `.venv/bin/python bench/web_pages.py [--requests 60] [--warmup 5]`.
Starts a throwaway embedded PostgreSQL, migrates it, runs `atrium seed-demo`'s seeders (the demo account with its
calendar, four months of expenses and a budget, a fitness plan, a delivery history synced from a local git
repository), plus an API key with a few generated images. Signs in through the sign-in form, then requests each
page `--requests` times in turn, in process (httpx over ASGI: no network, no browser), after `--warmup` rounds.
Each time is the request as the server handles it, from the app's call to its last byte (the in-process client's
own work left out): the session cookie checked, the use cases on PostgreSQL, the template rendered, the middleware. Prints p50, p95 and max per page as Markdown and writes them to
bench/results/<date>-web-pages.md.
"""

import argparse
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.throwaway import run_and_report  # noqa: E402
from entrypoints.api.app import create_app  # noqa: E402
from entrypoints.container import build_container  # noqa: E402
from entrypoints.demo import DEMO_USERNAME, seed_demo  # noqa: E402
from entrypoints.settings import Settings  # noqa: E402

PASSWORD = "demo password 1"
TARGET_MS = 30.0
PAGES = ("/", "/calendar", "/calendar/month", "/calendar/inbox", "EVENT", "/ledger", "/ledger?q=Groceries&sort=-amount",
         "/ledger/expenses/new", "/ledger/categories", "/ledger/budgets", "/ledger/report", "/ledger/import",
         "/api-keys", "/api-keys/images", "/account", "/fitness", "/fitness/profile", "/fitness/workouts",
         "/fitness/meals", "/fitness/log", "/delivery", "/delivery?benchmark=2021&granularity=month",
         "/delivery/deployments", "/delivery/changes", "/delivery/incidents", "/delivery/sources")


async def bench(url: str, workdir: Path, requests: int, warmup: int) -> str:
    repos = workdir / "repos"
    repos.mkdir()
    settings = Settings(_env_file=None, storage="postgres", database_url=url, data_dir=workdir / "data",
                        jwt_secret="bench-" + "x" * 40, secret_key="bench-" + "y" * 40, dispatch_in_api=False,
                        delivery_git_roots=str(repos), access_log=False)
    container = build_container(settings)
    await seed_demo(container, PASSWORD)
    app = create_app(container)
    served: list[float] = []

    async def timed(scope, receive, send):  # the server's side only: from the app's call to its last byte
        started = time.perf_counter()
        await app(scope, receive, send)
        served.append(time.perf_counter() - started)

    transport = httpx.ASGITransport(app=timed)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport,
                                                                     base_url="http://atrium.test") as client:
        await sign_in(client)
        await add_images(client)
        event = re.search(r'href="(/calendar/events/[0-9a-f-]+)"', (await client.get("/calendar")).text)
        pages = [event.group(1) if page == "EVENT" and event else page for page in PAGES if page != "EVENT" or event]
        timings: dict[str, list[float]] = {page: [] for page in pages}
        cpu: dict[str, float] = dict.fromkeys(pages, 0.0)
        for round_ in range(warmup + requests):
            for page in pages:
                cpu_started = time.process_time()
                response = await client.get(page)
                cpu_used = time.process_time() - cpu_started
                assert response.status_code == 200, f"{page}: {response.status_code}"
                if round_ >= warmup:
                    timings[page].append(served[-1] * 1000)
                    cpu[page] += cpu_used * 1000 / requests
    return report(timings, cpu, requests)


async def sign_in(client: httpx.AsyncClient) -> None:
    front = await client.get("/")
    token = re.search(r'name="csrf" value="([^"]+)"', front.text).group(1)
    signed = await client.post("/sign-in", data={"csrf": token, "login": DEMO_USERNAME, "password": PASSWORD})
    assert signed.status_code == 303, signed.text


async def add_images(client: httpx.AsyncClient) -> None:
    page = await client.get("/api-keys")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    issued = await client.post("/api-keys", data={"csrf": token, "name": "bench"})
    secret = re.search(r'id="new-secret">([^<]+)<', issued.text).group(1)
    for n in range(6):
        made = await client.post("/api/v1/images/generations", headers={"X-API-Key": secret},
                                 json={"prompt": f"a lighthouse, take {n}", "width": 64, "height": 64})
        assert made.status_code == 201, made.text


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(timings: dict[str, list[float]], cpu: dict[str, float], requests: int) -> str:
    rows = []
    for page, values in timings.items():
        p95 = percentile(values, 0.95)
        rows.append(f"| `{re.sub(r'[0-9a-f-]{36}', '{id}', page)}` | {statistics.median(values):.1f} | {p95:.1f} | "
                    f"{max(values):.1f} | {cpu[page]:.1f} | {'yes' if p95 < TARGET_MS else '**no**'} |")
    worst = max(percentile(values, 0.95) for values in timings.values())
    return "\n".join([
        f"# Web pages: server-side render time on the demo data ({requests} requests per page)",
        "",
        f"Python {platform.python_version()}, {platform.machine()}, embedded PostgreSQL, in process (httpx over "
        "ASGI), uvloop; the demo account signed in through the form. Times in ms, from the app's call to its last "
        "byte: session cookie, use cases on PostgreSQL, template, middleware.",
        "",
        f"Load average when it ended: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (PostgreSQL and other work "
        "share them: the wall times include waiting for a core). CPU is this process's own time per request (the "
        "app, and the in-process client around it), mean.",
        "",
        f"| page | p50 | p95 | max | CPU | p95 < {TARGET_MS:.0f} ms |",
        "|---|---:|---:|---:|---:|:---:|",
        *rows,
        "",
        f"Slowest p95: {worst:.1f} ms.",
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    run_and_report("web-pages", lambda url, workdir: bench(url, workdir, args.requests, args.warmup))


if __name__ == "__main__":
    main()
