"""The background worker: deliver due reminders every interval, adapt the fitness plans that opted in once per ISO
week, purge long-deleted events, expired image idempotency keys and cached plan drafts, stop on a signal."""

import asyncio
import logging
import signal
from collections.abc import Callable, Mapping
from dataclasses import asdict

from entrypoints.container import Container

log = logging.getLogger("atrium.worker")


async def dispatch_due(container: Container) -> dict[str, int]:
    """Dispatch passes until the backlog is gone; the summed report."""
    dispatch = container.calendar.dispatch_reminders()
    total = {"delivered": 0, "retrying": 0, "failed": 0, "cancelled": 0}
    while True:
        report = asdict(await dispatch())
        total = {key: total[key] + report[key] for key in total}
        if sum(report.values()) < dispatch.batch_size:
            return total


async def fitness_pass(container: Container, *, purge: bool) -> dict[str, int]:
    """Adapt every auto-adapting workout plan not yet adapted this ISO week (idempotent per plan and week, across
    workers: a key in the database), and purge expired cached drafts; the report."""
    report = asdict(await container.fitness.auto_adapt_workout_plans()())
    if report["checked"]:
        log.info("workout plans adapted: %s", " ".join(f"{k}={v}" for k, v in report.items()), extra={"fields": report})
    if purge and (expired := await container.fitness.purge_plan_cache()()):
        log.info("expired plan drafts purged: %d", expired, extra={"fields": {"purged": expired}})
    return report


OnReport = Callable[[Mapping[str, int]], None]


async def one_pass(container: Container, *, purge: bool, on_report: OnReport | None = None) -> None:
    """Deliver what is due (and purge what has expired); a failure is logged and the next pass tries again."""
    try:
        report = await dispatch_due(container)
        if on_report is not None:
            on_report(report)
        if any(report.values()):
            log.info("reminders dispatched: %s", " ".join(f"{k}={v}" for k, v in report.items()),
                     extra={"fields": report})
        if purge and (purged := await container.calendar.purge_deleted_events()()):
            log.info("deleted events purged: %d", purged, extra={"fields": {"purged": purged}})
        if purge and (expired := await container.imaging.purge_idempotency_keys()()):
            log.info("expired idempotency keys purged: %d", expired, extra={"fields": {"purged": expired}})
        await fitness_pass(container, purge=purge)
    except Exception:
        log.exception("worker pass failed; retrying at the next interval")


async def run(container: Container, interval: float, *, purge: bool = True) -> None:
    """Run passes every `interval` seconds until SIGINT or SIGTERM; a pass in progress is finished first."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await run_until(stop, container, interval, purge=purge)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


async def run_until(
    stop: asyncio.Event, container: Container, interval: float, *, purge: bool = True, on_report: OnReport | None = None
) -> None:
    """Run passes every `interval` seconds until `stop` is set; a pass in progress is finished first."""
    log.info("worker started", extra={"fields": {"interval_seconds": interval}})
    try:
        while not stop.is_set():
            await one_pass(container, purge=purge, on_report=on_report)
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
            except TimeoutError:
                pass
    finally:
        log.info("worker stopped")
