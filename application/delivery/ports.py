"""Ports of the delivery context: the outbound sources a sync reads (GitHub, Linear, a local git repository).

A sync reads each resource of a source page by page. After it has committed a page's records (upserts keyed
by `(source, record key)`) it saves the page's `state`, when there is one, for that source and resource; the
next run starts from the saved state. A page without a state is not a safe place to resume from, so a run
that fails after it starts again from the last saved state: records are re-read, never lost, and re-upserting
them changes nothing.
"""

from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable
from uuid import UUID

from application.identity.ports import AccountRepository
from application.shared.errors import UpstreamFailed
from application.shared.ids import IdGenerator
from application.shared.unit_of_work import UnitOfWork
from domain.delivery.attribution import Shipped
from domain.delivery.benchmarks import Benchmark
from domain.delivery.listing import ChangeRow, DeploymentRow, IncidentRow, RowKey
from domain.delivery.records import Record
from domain.delivery.report import DoraReport
from domain.delivery.source import Source
from domain.delivery.sync import Sync, SyncCounts, SyncTrigger
from domain.delivery.window import Granularity, Window


@dataclass(frozen=True, slots=True)
class ResourceState:
    """What a source remembers per resource between runs: an opaque cursor and the first page's ETag."""

    cursor: str | None = None
    etag: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """Records to upsert, keys of this resource's records to delete (they no longer qualify), and where to resume."""

    items: tuple[Record, ...]
    state: ResourceState | None
    removed: tuple[str, ...] = field(default=())


class SourceReader(Protocol):
    """One resource of one source (GitHub's releases, Linear's issues, ...), read from a saved state."""

    @property
    def resource(self) -> str:
        """A stable name that keys the saved state, like `github.releases`."""
        ...

    @property
    def snapshot(self) -> bool:
        """True when a completed run yields every record of the resource, so records it did not yield are gone."""
        ...

    def pages(self, state: ResourceState) -> AsyncIterator[Page]:
        """The changed records since `state`, page by page; nothing when nothing changed.

        Raises SourceRejected or SourceUnavailable; what was yielded before stays valid.
        """
        ...


class RecordSource(Protocol):
    """A configured source: its resources to read."""

    def readers(self) -> tuple[SourceReader, ...]: ...


@runtime_checkable
class SourceControl(RecordSource, Protocol):
    """A hosted repository (GitHub): deployments, merged pull requests, and what each deployment shipped."""

    async def commits_between(self, base: str | None, head: str) -> tuple[str, ...]:
        """The commits `head` adds to `base` (oldest first, bounded); with no base, none (partial history)."""
        ...


class IssueTracker(RecordSource, Protocol):
    """An issue tracker (Linear): its incidents."""


class SourceRejected(UpstreamFailed):
    """The provider refused the source as configured (bad token, unknown repository, no access, bad path).

    Retrying will not help until the user changes the source. The message is safe to show; it never holds a token.
    """


class SourceUnavailable(UpstreamFailed):
    """The provider failed for now (timeouts, 5xx, rate limits past the wait budget); `retry_at` when it said so."""

    def __init__(self, message: str, *, retry_at: datetime | None = None) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class TokenCipher(Protocol):
    """Seals provider tokens for storage (authenticated encryption bound to `context`, the source's identity)."""

    def seal(self, token: str, context: str) -> str: ...

    def open(self, sealed: str, context: str) -> str:
        """The token; TokenUnreadable when the key changed or the text was altered or moved to another source."""
        ...


class TokenUnreadable(Exception):
    """A sealed token cannot be opened with the server's key (ATRIUM_SECRET_KEY changed, or the row was altered)."""


class SourceConnector(Protocol):
    """Builds the reader of a configured source, with its token (None: the server's default for the kind)."""

    def connect(self, source: Source, token: str | None) -> RecordSource:
        """Raises SourceRejected when the source cannot be read as configured (no token at all, say)."""
        ...


class SourceLocks(Protocol):
    """One sync at a time per source, across every process (PostgreSQL: a session advisory lock)."""

    def hold(self, source_id: UUID) -> AbstractAsyncContextManager[bool]:
        """Try to take the source's lock for the block: True when taken, False when another run holds it."""
        ...


class SourceRepository(Protocol):
    """An owner's delivery sources; removing one removes its syncs, saved states and synced records."""

    async def add(self, source: Source) -> None: ...

    async def get(self, owner_id: UUID, source_id: UUID) -> Source | None: ...

    async def page(self, owner_id: UUID, *, after: UUID | None, limit: int) -> list[Source]:
        """Up to `limit` of the owner's sources by id (creation order), after the id `after`."""
        ...

    async def owned(self, owner_id: UUID, source_ids: Collection[UUID]) -> set[UUID]:
        """Those of the ids that are the owner's sources."""
        ...

    async def all_ids(self, owner_id: UUID) -> list[UUID]:
        """Every source of the owner, by id."""
        ...

    async def save(self, source: Source) -> None: ...

    async def remove(self, owner_id: UUID, source_id: UUID) -> bool: ...


class SyncRepository(Protocol):
    """Syncs of an owner's sources; at most one queued sync per source."""

    async def add(self, sync: Sync) -> Sync:
        """Queue `sync`, or return the source's sync that is queued already (nothing added)."""
        ...

    async def get(self, owner_id: UUID, sync_id: UUID) -> Sync | None: ...

    async def latest(self, owner_id: UUID, source_ids: Collection[UUID]) -> dict[UUID, Sync]:
        """The most recently requested sync of each of the owner's `source_ids` that has one."""
        ...

    async def save(self, sync: Sync) -> None: ...

    async def claim(self, now: datetime, *, skip: Collection[UUID] = ()) -> Sync | None:
        """The oldest queued sync not in `skip` (or a running one whose lease ran out), started and leased; None
        when there is none. Concurrent claims never take the same sync (PostgreSQL: FOR UPDATE SKIP LOCKED)."""
        ...

    async def queue_due(self, now: datetime, every: timedelta, ids: IdGenerator, trigger: SyncTrigger,
                        source_id: UUID | None = None) -> int:
        """Queue a sync for each source (of every owner, or just `source_id`) with no queued or running sync whose
        latest sync was requested at least `every` ago (or never). How many."""
        ...


class ResourceStateRepository(Protocol):
    """Where each resource of a source resumes: saved only after the records it covers were committed."""

    async def get(self, owner_id: UUID, source_id: UUID, resource: str) -> ResourceState | None: ...

    async def save(self, owner_id: UUID, source_id: UUID, resource: str, state: ResourceState) -> None: ...

    async def clear(self, owner_id: UUID, source_id: UUID) -> None: ...


@dataclass(frozen=True, slots=True)
class RecordKeys:
    """Every key a completed snapshot yielded, per kind (a DeployedCommit as its deployment key, a newline, its commit)."""

    deployments: frozenset[str] = frozenset()
    changes: frozenset[str] = frozenset()
    incidents: frozenset[str] = frozenset()
    deployed_commits: frozenset[str] = frozenset()


class RecordRepository(Protocol):
    """A source's synced records, upserted by (source, key): writing the same record again changes nothing."""

    async def upsert(self, owner_id: UUID, source_id: UUID, records: Sequence[Record]) -> SyncCounts: ...

    async def remove(self, owner_id: UUID, source_id: UUID, keys: Collection[str]) -> int:
        """Delete the source's deployments, changes and incidents with these keys; how many."""
        ...

    async def retain(self, owner_id: UUID, source_id: UUID, keys: RecordKeys) -> int:
        """Delete the source's records whose key is not in `keys` (a completed snapshot no longer holds them)."""
        ...

    async def clear(self, owner_id: UUID, source_id: UUID) -> None:
        """Delete every record of the source."""
        ...

    async def production(self, owner_id: UUID, source_id: UUID) -> list[Shipped]:
        """The source's production deployments, one per commit, in finish order (as production_deployments)."""
        ...

    async def ranged(self, owner_id: UUID, source_id: UUID) -> set[str]:
        """Keys of the source's deployments whose commit range was fetched (an empty one too)."""
        ...

    async def add_range(self, owner_id: UUID, source_id: UUID, deployment_key: str, commits: Sequence[str]) -> int:
        """Record the deployment's range: its commits, and that it was fetched. How many commits."""
        ...


@dataclass(frozen=True, slots=True)
class Period:
    """What a metric or list covers: some of an owner's sources (none: all of them) and a window."""

    owner_id: UUID
    source_ids: tuple[UUID, ...]
    window: Window


class MetricsQuery(Protocol):
    """The metrics and the items that made them, computed in the store (SQL on PostgreSQL)."""

    async def report(self, period: Period, granularity: Granularity, benchmark: Benchmark) -> DoraReport:
        """Exactly `dora_report` over the sources' records, one deployment per (source, commit)."""
        ...

    async def deployments(self, period: Period, *, after: RowKey | None, limit: int) -> list[DeploymentRow]:
        """Finished deployments of the window, latest first (ties by source and key, descending)."""
        ...

    async def changes(self, period: Period, *, after: RowKey | None, limit: int) -> list[ChangeRow]:
        """Changes merged in the window with the deployment that first shipped them, latest first."""
        ...

    async def incidents(self, period: Period, *, after: RowKey | None, limit: int) -> list[IncidentRow]:
        """Incidents created in the window with the deployment that caused them, latest first."""
        ...


class DeliveryUnitOfWork(UnitOfWork, Protocol):
    accounts: AccountRepository
    delivery_sources: SourceRepository
    delivery_syncs: SyncRepository
    delivery_states: ResourceStateRepository
    delivery_records: RecordRepository
    delivery_metrics: MetricsQuery
