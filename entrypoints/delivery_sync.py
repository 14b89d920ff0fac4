"""The delivery sync in the background, with APScheduler 3 inside `atrium worker` and the API process (when it
dispatches in-process): every minute, queue a sync of each source not synced for ATRIUM_DELIVERY_SYNC_INTERVAL_MINUTES;
every ATRIUM_WORKER_INTERVAL_SECONDS (and at once when this process queued one), run what is queued. Every process
may run it: queued syncs are claimed with SKIP LOCKED and a source syncs in one process at a time (an advisory
lock); nothing is kept in a process, so a sync queued anywhere is run by whichever process claims it first.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import UTC, timedelta
from uuid import UUID

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from adapters.clock import SystemClock
from application.delivery.syncs import SyncReport
from domain.delivery.sync import SyncTrigger
from entrypoints.container import Container

log = logging.getLogger("atrium.delivery")
QUEUE_EVERY_SECONDS = 60
_RUN, _QUEUE = "delivery.run", "delivery.queue"
_NOW = timedelta(0)


async def queue_due(container: Container) -> None:
    """Queue the sources due for their scheduled sync; a failure is logged and the next minute tries again."""
    try:
        if queued := await container.delivery.queue_due_syncs()():
            log.info("delivery syncs queued: %d", queued, extra={"fields": {"queued": queued}})
    except Exception:
        log.exception("queueing delivery syncs failed; retrying at the next interval")


async def run_queued(container: Container) -> SyncReport:
    """Run the queued syncs (one pass of at most RunSyncs.limit); a failure is logged, the next pass retries."""
    report = SyncReport()
    try:
        report = await container.delivery.run_syncs()()
        if report.succeeded or report.failed:
            log.info("delivery syncs run: %s", " ".join(f"{k}={v}" for k, v in asdict(report).items()),
                     extra={"fields": asdict(report)})
    except Exception:
        log.exception("a delivery sync pass failed; retrying at the next interval")
    return report


async def sync_once(container: Container, source_id: UUID | None = None) -> SyncReport:
    """`atrium delivery sync`: queue every source (or one) that is not syncing now, then run what is queued."""
    await container.delivery.queue_due_syncs()(trigger=SyncTrigger.COMMAND, source_id=source_id, every=_NOW)
    report: SyncReport = await container.delivery.run_syncs()()
    return report


class DeliveryScheduler:
    def __init__(self, container: Container, poll_seconds: float) -> None:
        self._container, self._poll = container, poll_seconds
        self._scheduler = AsyncIOScheduler(timezone=UTC)

    def start(self) -> None:
        # APScheduler counts in wall-clock time, not the container's clock (a test's clock may stand years away,
        # and APScheduler would list every missed run in between).
        common = {"max_instances": 1, "coalesce": True, "next_run_time": SystemClock().now(),
                  "misfire_grace_time": None}
        self._scheduler.add_job(queue_due, IntervalTrigger(seconds=QUEUE_EVERY_SECONDS), args=[self._container],
                                id=_QUEUE, **common)
        self._scheduler.add_job(run_queued, IntervalTrigger(seconds=self._poll), args=[self._container], id=_RUN,
                                **common)
        self._scheduler.start()

    def wake(self) -> None:
        """Run the queued syncs now (a run in progress picks them up at its next claim)."""
        job = self._scheduler.get_job(_RUN)
        if job is not None:
            job.modify(next_run_time=SystemClock().now())

    def shutdown(self) -> None:
        """Stop scheduling; a sync cut short stays running until its lease runs out, then runs again."""
        self._scheduler.shutdown(wait=False)


@asynccontextmanager
async def scheduled(container: Container, poll_seconds: float) -> AsyncIterator[DeliveryScheduler]:
    """The delivery scheduler running on this loop for the block."""
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # it logs every run of every job at info
    scheduler = DeliveryScheduler(container, poll_seconds)
    scheduler.start()
    try:
        yield scheduler
    finally:
        scheduler.shutdown()

