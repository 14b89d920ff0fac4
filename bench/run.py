"""Side-by-side HTTP benchmark: Atrium vs a bare Starlette + asyncpg baseline, same database, one run.

Usage: .venv/bin/python bench/run.py [--seconds 8] [--connections 16,64] [--rounds 2] [--only NAME]
                                     [--extras access_log,workers] [--out PATH]
Atrium runs as `make run` starts it (1 worker, JSON access log on). Besides the Atrium/baseline table it measures
what the access log costs (on against off) and what a second worker brings (two against one, 64 connections).
Writes bench/results/<date>.md (or --out) and prints the table. Needs `wrk` (installed with apt-get when missing).
"""

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import scenarios  # noqa: E402
from bench.seed import seed  # noqa: E402

WORK = ROOT / "bench" / ".work"
PYTHON = sys.executable
ATRIUM = str(ROOT / ".venv/bin/atrium")
JWT_SECRET = "bench-secret-" + "x" * 40
SECRET_KEY = "bench-key-" + "y" * 40
SERVER_MADE = {"id", "event_id", "url", "seed", "created_at", "updated_at", "access_token", "refresh_token"}


@dataclass
class Sample:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_us: float  # the server's CPU time per request (all its processes): steadier than req/s on a shared VM


@dataclass
class Server:
    """One HTTP server under test, started with `command` and `env` on a port of its own."""

    name: str
    command: list[str]
    env: dict[str, str]
    ready_path: str
    port: int = field(default_factory=lambda: free_port())
    process: subprocess.Popen | None = None
    requests: int = 0  # served so far, by wrk's count

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return WORK / f"{self.name}.log"

    def start(self) -> float:
        """Start it; seconds until its ready path answered 200."""
        started = time.perf_counter()
        log = open(self.log, "a")  # appended to, so that it can be emptied between rounds (`forget_log`)
        self.process = subprocess.Popen([*self.command, "--port", str(self.port)], env={**os.environ, **self.env},
                                        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_ready(self.url + self.ready_path)
        except RuntimeError:
            self.stop()
            raise RuntimeError(f"{self.name} did not become ready; see {self.log}") from None
        return time.perf_counter() - started

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None

    def forget_log(self) -> None:
        """Empty its log (the access log of a run is hundreds of thousands of lines)."""
        os.truncate(self.log, 0)

    def processes(self) -> list[psutil.Process]:
        parent = psutil.Process(self.process.pid)
        return [parent, *parent.children(recursive=True)]

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the server and its worker processes."""
        return sum(sum(p.cpu_times()[:2]) for p in self.processes())

    def worker_rss_mb(self) -> float:
        """Resident size of its largest process (with workers, the largest worker), in MB."""
        return max(p.memory_info().rss for p in self.processes()) / 1e6


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(url: str, timeout: float = 60) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{url} was not ready after {timeout}s")


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False, capture_output=True)
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)
    return shutil.which("wrk")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def measure_startup() -> tuple[float, float]:
    """Seconds from `atrium serve` (embedded PostgreSQL) to /ready 200: on a fresh data dir (the cluster created,
    migrations applied), then again on the cluster that left (started, migrations checked)."""
    data = Path(tempfile.mkdtemp(prefix="atrium-startup-"))
    os.environ.pop("ATRIUM_DATABASE_URL", None)
    subprocess.run(["make", "-s", "-C", str(ROOT), "compile"], check=True)  # as `make run` does before serving
    server = Server("startup", [ATRIUM, "serve"], {"ATRIUM_DATA_DIR": str(data), "ATRIUM_LOG_LEVEL": "warning"},
                    "/ready")
    try:
        fresh = server.start()
        server.stop()
        existing = server.start()
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)
    return fresh, existing


def run_wrk(wrk: str, server: Server, requests_file: Path, connections: int, seconds: int) -> Sample:
    threads = min(2, connections)
    cpu_before = server.cpu_seconds()
    result = subprocess.run(
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
         "-s", str(ROOT / "bench" / "wrk_scenario.lua"), server.url],
        env={**os.environ, "BENCH_REQUESTS": str(requests_file)}, capture_output=True, text=True, check=True)
    line = re.search(r"BENCH (\{.*\})", result.stderr)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{result.stdout}\n{result.stderr}")
    data = json.loads(line.group(1))
    cpu_us = (server.cpu_seconds() - cpu_before) * 1e6 / max(data["requests"], 1)
    server.requests += data["requests"]
    server.forget_log()
    return Sample(rps=data["requests"] / (data["duration_us"] / 1e6), p50_ms=data["p50_us"] / 1000,
                  p99_ms=data["p99_us"] / 1000, errors=data["errors"], cpu_us=cpu_us)


def combine(samples: list[Sample]) -> Sample:
    return Sample(rps=statistics.mean(s.rps for s in samples),
                  p50_ms=statistics.median(s.p50_ms for s in samples),
                  p99_ms=max(s.p99_ms for s in samples), errors=sum(s.errors for s in samples),
                  cpu_us=statistics.mean(s.cpu_us for s in samples))


def side_by_side(wrk: str, a: Server, b: Server, requests_file: Path, connections: int, args) -> tuple[Sample, Sample]:
    """A warm-up for each, then rounds alternating A/B/A/B; each side's samples combined."""
    for server in (a, b):
        run_wrk(wrk, server, requests_file, connections, args.warmup)
    samples: dict[str, list[Sample]] = {a.name: [], b.name: []}
    for _ in range(args.rounds):
        for server in (a, b):
            samples[server.name].append(run_wrk(wrk, server, requests_file, connections, args.seconds))
    return combine(samples[a.name]), combine(samples[b.name])


def answer(server: Server, request_line: str) -> tuple[int, object]:
    """Send one prepared request line (bench/scenarios.py) and return the status and the parsed JSON body."""
    method, path, header_text, body = request_line.split("\t")
    headers = dict(pair.split(":", 1) for pair in header_text.split("|") if pair)
    request = urllib.request.Request(server.url + path, method=method, headers=headers,
                                     data=body.encode() if body else None)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, text = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read()
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text.decode(errors="replace")


def comparable(value: object, *, server_made: bool) -> object:
    """The body with instants as (UTC instant, offset), so `Z` and `+00:00` compare equal; without the values each
    server makes up for itself (ids, times of creation, tokens) when `server_made` is False."""
    if isinstance(value, dict):
        return {k: comparable(v, server_made=server_made) for k, v in value.items()
                if server_made or k not in SERVER_MADE}
    if isinstance(value, list):
        return [comparable(v, server_made=server_made) for v in value]
    if isinstance(value, str) and "T" in value:
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            return value
        if instant.tzinfo is not None:
            return instant.astimezone(UTC), instant.utcoffset()
    return value


def check_same_answers(atrium: Server, baseline: Server, request_line: str) -> None:
    """The floor must do the same work: the same status and the same answer (reads byte for byte but for how
    an instant is spelled; writes but for what each server makes up). Raises when they differ."""
    (status_a, body_a), (status_b, body_b) = answer(atrium, request_line), answer(baseline, request_line)
    read = request_line.startswith("GET")
    if status_a != status_b or comparable(body_a, server_made=read) != comparable(body_b, server_made=read):
        raise RuntimeError(f"Atrium and the baseline answer differently to {request_line.split(chr(9))[:2]}:\n"
                           f"Atrium {status_a}: {json.dumps(body_a)[:2000]}\n"
                           f"baseline {status_b}: {json.dumps(body_b)[:2000]}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--only", default="", help="scenarios to run, comma-separated (default: all)")
    parser.add_argument("--extras", default="access_log,workers",
                        help="access_log (on against off, 16 connections), workers (two against one, 64 "
                             "connections), both measured on get_event; empty for none")
    parser.add_argument("--out", type=Path, default=None, help="default: bench/results/<date>.md")
    args = parser.parse_args()
    wrk = ensure_wrk()
    connections = [int(c) for c in args.connections.split(",")]
    chosen = [s for s in scenarios.ALL if not args.only or s.name in args.only.split(",")]
    extras = [e for e in args.extras.split(",") if e]
    WORK.mkdir(parents=True, exist_ok=True)

    startup = measure_startup()
    print(f"startup (atrium serve -> /ready, embedded PostgreSQL): fresh data dir {startup[0]:.2f} s, existing "
          f"cluster {startup[1]:.2f} s", flush=True)

    from adapters.postgres.embedded import EmbeddedPostgres
    from adapters.postgres.roles import as_role, migrate

    database = EmbeddedPostgres(WORK / "pg", database="atrium_bench")
    url = database.start()
    app_url = as_role(url, "atrium_app")  # Atrium connects as its app role, under row-level security, as `make run`
    migrate(url, app_url, "atrium_app")
    fixtures = asyncio.run(seed(url, JWT_SECRET, WORK))

    common = {"ATRIUM_DATABASE_URL": url, "ATRIUM_JWT_SECRET": JWT_SECRET, "ATRIUM_SECRET_KEY": SECRET_KEY,
              "ATRIUM_ACCESS_TOKEN_TTL_SECONDS": "86400", "ATRIUM_DATA_DIR": str(WORK / "data"),
              "ATRIUM_API_KEY_RATE_PER_SECOND": "1000000", "ATRIUM_LOGIN_ATTEMPTS_PER_IP": "100000000",
              "ATRIUM_LOGIN_FAILURES_PER_ADDRESS": "100000000", "ATRIUM_LOGIN_FAILURES_PER_HOUR": "100000000",
              "ATRIUM_LOGIN_FAILURES_PER_DAY": "100000000",
              "ATRIUM_DELIVERY_SYNC_INTERVAL_MINUTES": "1000000"}  # the seeded sources are never synced over
    as_make_run = {**common, "ATRIUM_LOG_LEVEL": "info", "ATRIUM_LOG_FORMAT": "json",  # the access log on
                   "ATRIUM_DATABASE_URL": app_url, "ATRIUM_MIGRATION_DATABASE_URL": url}
    atrium = Server("atrium", [ATRIUM, "serve"], as_make_run, "/ready")
    baseline = Server("baseline", [PYTHON, str(ROOT / "bench" / "baseline.py")], common, "/health")
    rows, extra_rows = [], []
    try:
        for server in (atrium, baseline):
            server.start()
        for scenario in chosen:
            requests_file = WORK / f"{scenario.name}.requests"
            lines = scenario.requests(fixtures)
            requests_file.write_text("\n".join(lines) + "\n")
            check_same_answers(atrium, baseline, lines[0])
            for conns in connections:
                a, b = side_by_side(wrk, atrium, baseline, requests_file, conns, args)
                rows.append((scenario, conns, a, b, atrium.worker_rss_mb(), atrium.requests))
                print(f"{scenario.name:<16} c={conns:<3} atrium {a.rps:8.0f} req/s p50 {a.p50_ms:6.2f} "
                      f"p99 {a.p99_ms:7.2f} err {a.errors} | baseline {b.rps:8.0f} req/s p50 {b.p50_ms:6.2f} "
                      f"p99 {b.p99_ms:7.2f} err {b.errors} | ratio {a.rps / b.rps:.2f} | CPU/req "
                      f"{a.cpu_us:.0f} vs {b.cpu_us:.0f} µs | RSS {atrium.worker_rss_mb():.0f} MB after "
                      f"{atrium.requests} requests", flush=True)
        baseline.stop()
        requests_file = WORK / "get_event.requests"
        requests_file.write_text("\n".join(scenarios.get_event(fixtures)) + "\n")
        variants = {"access_log": (Server("atrium-no-access-log", [ATRIUM, "serve"],
                                          {**as_make_run, "ATRIUM_ACCESS_LOG": "false"}, "/ready"), 16),
                    "workers": (Server("atrium-2-workers", [ATRIUM, "serve", "--workers", "2"], as_make_run,
                                       "/ready"), 64)}
        for extra in extras:
            other, conns = variants[extra]
            other.start()
            try:
                a, b = side_by_side(wrk, atrium, other, requests_file, conns, args)
            finally:
                other.stop()
            extra_rows.append((extra, conns, a, b))
            print(f"{extra:<16} c={conns:<3} atrium {a.rps:8.0f} req/s | {other.name} {b.rps:8.0f} req/s | "
                  f"ratio {b.rps / a.rps:.2f} | CPU/req {a.cpu_us:.0f} vs {b.cpu_us:.0f} µs", flush=True)
    finally:
        atrium.stop()
        baseline.stop()
        database.stop()
    write_results(rows, extra_rows, startup, args)


def write_results(rows, extra_rows, startup: tuple[float, float], args) -> None:
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    lines = [f"# Benchmark {day}", "",
             f"Atrium as `make run` starts it (1 uvicorn worker, JSON access log on) vs a bare Starlette + asyncpg "
             f"baseline (bench/baseline.py: the same work, the best query, PostgreSQL building the JSON, a pool as "
             f"large as Atrium's) on the same embedded PostgreSQL, wrk, {args.rounds} alternating rounds of "
             f"{args.seconds}s after a {args.warmup}s warm-up, on a {os.cpu_count()}-core machine. p99 is the "
             f"worst round's. Before each scenario, both answered its first request alike.", "",
             f"Startup, `atrium serve` to `/ready`: {startup[0]:.2f} s on a fresh embedded cluster (created, "
             f"migrations applied), {startup[1]:.2f} s on the existing cluster (target ≤ 1.5 s)", "",
             "Server CPU per request comes from the server processes' CPU counters over the same rounds; the CPU "
             "ratio (baseline/Atrium) is the throughput ratio each would reach if CPU-bound alone. RSS is Atrium's "
             "resident size after the row, with the number of requests it had served by then.", "",
             "| scenario | conns | Atrium req/s | p50 ms | p99 ms | errors | baseline req/s | p50 ms | p99 ms "
             "| errors | ratio | CPU µs/req Atrium | baseline | CPU ratio | RSS MB (requests) | target |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for scenario, conns, a, b, rss, served in rows:
        lines.append(f"| {scenario.name} | {conns} | {a.rps:.0f} | {a.p50_ms:.2f} | {a.p99_ms:.2f} | {a.errors} "
                     f"| {b.rps:.0f} | {b.p50_ms:.2f} | {b.p99_ms:.2f} | {b.errors} | {a.rps / b.rps:.2f} "
                     f"| {a.cpu_us:.0f} | {b.cpu_us:.0f} | {b.cpu_us / a.cpu_us:.2f} | {rss:.0f} ({served}) "
                     f"| {scenario.target(conns)} |")
    if extra_rows:
        lines += ["", "Atrium against itself, on get_event: the access log on (as above) against "
                  "`ATRIUM_ACCESS_LOG=false`, and one worker against `--workers 2`.", "",
                  "| comparison | conns | Atrium req/s | p99 ms | CPU µs/req | variant req/s | p99 ms | CPU µs/req "
                  "| variant/Atrium | target |", "|---|---|---|---|---|---|---|---|---|---|"]
        targets = {"access_log": "the log costs ≤ 5 % (ratio ≤ 1.05)", "workers": "≥ 1.5×"}
        names = {"access_log": "access log off", "workers": "two workers"}
        for extra, conns, a, b in extra_rows:
            lines.append(f"| {names[extra]} | {conns} | {a.rps:.0f} | {a.p99_ms:.2f} | {a.cpu_us:.0f} | {b.rps:.0f} "
                         f"| {b.p99_ms:.2f} | {b.cpu_us:.0f} | {b.rps / a.rps:.2f} | {targets[extra]} |")
    path = args.out or ROOT / "bench" / "results" / f"{day}.md"
    path.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
