"""A sync: one run reading a source's records, from queued to succeeded or failed."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain.shared.errors import NotFound

ERROR_MAX = 500
LEASE = timedelta(minutes=10)  # a running sync not heard from for this long died with its process: run it again


class SyncStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class SyncTrigger(StrEnum):
    REQUESTED = "requested"  # POST .../syncs
    SCHEDULED = "scheduled"  # every ATRIUM_DELIVERY_SYNC_INTERVAL_MINUTES
    COMMAND = "command"  # atrium delivery sync


class SyncNotFound(NotFound):
    code = "sync_not_found"
    title = "Sync not found"


@dataclass(frozen=True, slots=True)
class SyncCounts:
    """Records a run wrote (upserted), per kind, and removed (no longer in the source)."""

    deployments: int = 0
    changes: int = 0
    incidents: int = 0
    deployed_commits: int = 0
    removed: int = 0

    def __add__(self, other: "SyncCounts") -> "SyncCounts":
        return SyncCounts(self.deployments + other.deployments, self.changes + other.changes,
                          self.incidents + other.incidents, self.deployed_commits + other.deployed_commits,
                          self.removed + other.removed)


@dataclass(frozen=True, slots=True)
class Sync:
    """One run for one source. Queued until a process claims it (running, under a lease it renews as it goes);
    a claim whose lease ran out belongs to a process that died, and the sync is claimed again."""

    id: UUID
    owner_id: UUID
    source_id: UUID
    trigger: SyncTrigger
    status: SyncStatus
    requested_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    lease_until: datetime | None = None
    counts: SyncCounts = SyncCounts()
    error: str | None = None

    @classmethod
    def queue(cls, *, id: UUID, owner_id: UUID, source_id: UUID, trigger: SyncTrigger, now: datetime) -> "Sync":
        return cls(id, owner_id, source_id, trigger, SyncStatus.QUEUED, now)

    def start(self, now: datetime) -> "Sync":
        """Claimed: running from now (a run taken over after a dead process's lease starts afresh)."""
        return replace(self, status=SyncStatus.RUNNING, started_at=now, lease_until=now + LEASE,
                       counts=SyncCounts(), error=None)

    def progress(self, counts: SyncCounts, now: datetime) -> "Sync":
        """A page was committed: its counts added, the lease renewed."""
        return replace(self, counts=self.counts + counts, lease_until=now + LEASE)

    def put_back(self) -> "Sync":
        """Another run of the source holds it: queued again, for a later pass."""
        return replace(self, status=SyncStatus.QUEUED, started_at=None, lease_until=None)

    def succeed(self, now: datetime) -> "Sync":
        return replace(self, status=SyncStatus.SUCCEEDED, finished_at=now, lease_until=None)

    def fail(self, now: datetime, error: str) -> "Sync":
        text = " ".join(error.split()) or "the sync failed"
        return replace(self, status=SyncStatus.FAILED, finished_at=now, lease_until=None,
                       error=text if len(text) <= ERROR_MAX else text[: ERROR_MAX - 1] + "…")

    @property
    def active(self) -> bool:
        return self.status in (SyncStatus.QUEUED, SyncStatus.RUNNING)
