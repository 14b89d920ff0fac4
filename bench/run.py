"""Side-by-side HTTP benchmark: Atrium vs a bare Starlette + asyncpg baseline, same database, one run.

Usage: .venv/bin/python bench/run.py [--seconds 8] [--connections 16,64] [--rounds 2] [--only NAME]
Writes bench/results/<date>.md and prints the table. Needs `wrk` (installed with apt-get when missing).
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
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import scenarios  # noqa: E402
from bench.seed import seed  # noqa: E402

WORK = ROOT / "bench" / ".work"
PYTHON = sys.executable
JWT_SECRET = "bench-secret-" + "x" * 40


@dataclass
class Sample:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_us: float  # the server process's CPU time per request: steadier than req/s on a shared VM


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def start(command: list[str], env: dict[str, str], ready_url: str) -> tuple[subprocess.Popen, float]:
    started = time.perf_counter()
    log = open(WORK / f"{Path(command[1]).stem}.log", "w")
    process = subprocess.Popen(command, env={**os.environ, **env}, cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_ready(ready_url)
    except RuntimeError:
        stop(process)
        raise RuntimeError(f"{command} did not become ready; see {log.name}") from None
    return process, time.perf_counter() - started


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def measure_startup() -> float:
    """Seconds from `atrium serve` (embedded PostgreSQL, fresh data dir, migrations) to /ready 200."""
    WORK.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="atrium-startup-"))
    port = free_port()
    env = {"ATRIUM_DATA_DIR": str(data), "ATRIUM_LOG_LEVEL": "warning", "PORT": str(port)}
    env.pop("ATRIUM_DATABASE_URL", None)
    os.environ.pop("ATRIUM_DATABASE_URL", None)
    process, seconds = start([str(ROOT / ".venv/bin/atrium"), "serve"], env, f"http://127.0.0.1:{port}/ready")
    stop(process)
    shutil.rmtree(data, ignore_errors=True)
    return seconds


def run_wrk(wrk: str, server: subprocess.Popen, port: int, requests_file: Path, connections: int,
            seconds: int) -> Sample:
    threads = min(2, connections)
    cpu_before = cpu_seconds(server.pid)
    result = subprocess.run(
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
         "-s", str(ROOT / "bench" / "wrk_scenario.lua"), f"http://127.0.0.1:{port}"],
        env={**os.environ, "BENCH_REQUESTS": str(requests_file)}, capture_output=True, text=True, check=True)
    line = re.search(r"BENCH (\{.*\})", result.stderr)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{result.stdout}\n{result.stderr}")
    data = json.loads(line.group(1))
    cpu_us = (cpu_seconds(server.pid) - cpu_before) * 1e6 / max(data["requests"], 1)
    return Sample(rps=data["requests"] / (data["duration_us"] / 1e6), p50_ms=data["p50_us"] / 1000,
                  p99_ms=data["p99_us"] / 1000, errors=data["errors"], cpu_us=cpu_us)


def combine(samples: list[Sample]) -> Sample:
    return Sample(rps=statistics.mean(s.rps for s in samples),
                  p50_ms=statistics.median(s.p50_ms for s in samples),
                  p99_ms=max(s.p99_ms for s in samples), errors=sum(s.errors for s in samples),
                  cpu_us=statistics.mean(s.cpu_us for s in samples))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", default="16,64")
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    wrk = ensure_wrk()
    connections = [int(c) for c in args.connections.split(",")]
    chosen = [s for s in scenarios.ALL if not args.only or s.name in args.only.split(",")]

    startup = measure_startup()
    print(f"startup (atrium serve -> /ready, embedded PostgreSQL, fresh data dir): {startup:.2f} s", flush=True)

    from adapters.postgres.embedded import EmbeddedPostgres
    from adapters.postgres.migrations import upgrade

    server = EmbeddedPostgres(WORK / "pg", database="atrium_bench")
    url = server.start()
    upgrade(url)
    WORK.mkdir(parents=True, exist_ok=True)
    fixtures = asyncio.run(seed(url, JWT_SECRET, WORK))

    common = {"ATRIUM_DATABASE_URL": url, "ATRIUM_JWT_SECRET": JWT_SECRET, "ATRIUM_LOG_LEVEL": "warning",
              "ATRIUM_ACCESS_TOKEN_TTL_SECONDS": "86400", "ATRIUM_DATA_DIR": str(WORK / "data"),
              "ATRIUM_API_KEY_RATE_PER_SECOND": "1000000", "ATRIUM_LOGIN_ATTEMPTS_PER_IP": "100000000",
              "ATRIUM_LOGIN_FAILURES_PER_ADDRESS": "100000000", "ATRIUM_LOGIN_FAILURES_PER_HOUR": "100000000",
              "ATRIUM_LOGIN_FAILURES_PER_DAY": "100000000"}
    atrium_port, baseline_port = free_port(), free_port()
    atrium, _ = start([str(ROOT / ".venv/bin/atrium"), "serve", "--port", str(atrium_port)], common,
                      f"http://127.0.0.1:{atrium_port}/ready")
    baseline, _ = start([PYTHON, str(ROOT / "bench" / "baseline.py"), "--port", str(baseline_port)], common,
                        f"http://127.0.0.1:{baseline_port}/health")
    rows = []
    try:
        for scenario in chosen:
            requests_file = WORK / f"{scenario.name}.requests"
            requests_file.write_text("\n".join(scenario.requests(fixtures)) + "\n")
            for conns in connections:
                for process, port in ((atrium, atrium_port), (baseline, baseline_port)):
                    run_wrk(wrk, process, port, requests_file, conns, args.warmup)
                results = {"atrium": [], "baseline": []}
                for _ in range(args.rounds):  # A/B/A/B
                    results["atrium"].append(run_wrk(wrk, atrium, atrium_port, requests_file, conns, args.seconds))
                    results["baseline"].append(
                        run_wrk(wrk, baseline, baseline_port, requests_file, conns, args.seconds))
                a, b = combine(results["atrium"]), combine(results["baseline"])
                rows.append((scenario, conns, a, b))
                print(f"{scenario.name:<16} c={conns:<3} atrium {a.rps:8.0f} req/s p50 {a.p50_ms:6.2f} "
                      f"p99 {a.p99_ms:7.2f} err {a.errors} | baseline {b.rps:8.0f} req/s p50 {b.p50_ms:6.2f} "
                      f"p99 {b.p99_ms:7.2f} err {b.errors} | ratio {a.rps / b.rps:.2f} | CPU/req "
                      f"{a.cpu_us:.0f} vs {b.cpu_us:.0f} µs", flush=True)
    finally:
        stop(atrium)
        stop(baseline)
        server.stop()
    write_results(rows, startup, args)


def write_results(rows, startup: float, args) -> None:
    day = datetime.now(UTC).strftime("%Y-%m-%d")
    lines = [f"# Benchmark {day}", "",
             f"Atrium (1 uvicorn worker) vs a bare Starlette + asyncpg baseline on the same embedded "
             f"PostgreSQL, wrk, {args.rounds} alternating rounds of {args.seconds}s after a {args.warmup}s "
             f"warm-up, on a {os.cpu_count()}-core machine. p99 is the worst round's.", "",
             f"Startup, `atrium serve` to `/ready` (fresh embedded cluster, migrations): {startup:.2f} s", "",
             "Server CPU per request comes from the server process's /proc counters over the same rounds; the CPU "
             "ratio (baseline/Atrium) is the throughput ratio each would reach if CPU-bound alone.", "",
             "| scenario | conns | Atrium req/s | p50 ms | p99 ms | errors | baseline req/s | p50 ms | p99 ms "
             "| errors | ratio | CPU µs/req Atrium | baseline | CPU ratio | target |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for scenario, conns, a, b in rows:
        lines.append(f"| {scenario.name} | {conns} | {a.rps:.0f} | {a.p50_ms:.2f} | {a.p99_ms:.2f} | {a.errors} "
                     f"| {b.rps:.0f} | {b.p50_ms:.2f} | {b.p99_ms:.2f} | {b.errors} | {a.rps / b.rps:.2f} "
                     f"| {a.cpu_us:.0f} | {b.cpu_us:.0f} | {b.cpu_us / a.cpu_us:.2f} | {scenario.target(conns)} |")
    path = ROOT / "bench" / "results" / f"{day}.md"
    path.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"\nwritten to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
