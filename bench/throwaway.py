"""Run one benchmark on a throwaway, migrated embedded PostgreSQL and keep its report."""

import logging
import tempfile
import warnings
from collections.abc import Awaitable, Callable
from pathlib import Path

import uvloop

from adapters.clock import SystemClock
from adapters.postgres.embedded import EmbeddedPostgres
from adapters.postgres.migrations import upgrade

RESULTS = Path(__file__).resolve().parent / "results"


def run_and_report(name: str, bench: Callable[[str, Path], Awaitable[str]]) -> None:
    """Await `bench(url, workdir)` under uvloop (as `atrium serve` runs); print and save its Markdown report."""
    logging.basicConfig(level=logging.WARNING)
    warnings.simplefilter("ignore")
    workdir = Path(tempfile.mkdtemp(prefix="atrium-bench-"))
    server = EmbeddedPostgres(workdir / "pg", database="bench", throwaway=True)
    url = server.start()
    try:
        upgrade(url)
        report = uvloop.run(bench(url, workdir))
    finally:
        server.stop()
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{SystemClock().now().date()}-{name}.md"
    path.write_text(report)
    print(f"written to {path}")
