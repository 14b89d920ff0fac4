"""In-memory delivery repositories: the same answers, in the same order, as PostgreSQL; the metrics and lists are
the pure domain functions over the stored records."""

from collections import defaultdict
from collections.abc import AsyncIterator, Collection, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TypeVar, final
from uuid import UUID

from adapters.memory.store import MemoryTransaction, TableSpec
from application.delivery.ports import MetricsQuery, Period, RecordKeys, RecordRepository, ResourceState, ResourceStateRepository, SourceLocks, SourceRepository, SyncRepository
from application.shared.ids import IdGenerator
from domain.delivery.attribution import Shipped, production_deployments
from domain.delivery.benchmarks import Benchmark
from domain.delivery.listing import (
    ChangeRow, DeploymentRow, IncidentRow, RowKey, change_rows, combined, deployment_rows, incident_rows,
)
from domain.delivery.records import Change, DeployedCommit, Deployment, Incident, Record
from domain.delivery.report import DoraReport, History, dora_report
from domain.delivery.source import Source
from domain.delivery.sync import Sync, SyncCounts, SyncStatus, SyncTrigger
from domain.delivery.window import Granularity


@dataclass(frozen=True, slots=True)
class _Row:
    """A stored record of a source (`ranged`: a deployment whose commit range was fetched)."""

    owner_id: UUID
    source_id: UUID
    record: Record
    ranged: bool = False


def _key(row: _Row) -> tuple[UUID, str, str]:
    record = row.record
    if isinstance(record, DeployedCommit):
        return row.source_id, "deployed_commit", f"{record.deployment_key}\n{record.commit}"
    return row.source_id, type(record).__name__, record.key


_State = tuple[UUID, UUID, str, ResourceState]  # owner, source, resource, state
SOURCES: TableSpec[Source] = TableSpec("delivery_sources")
SYNCS: TableSpec[Sync] = TableSpec("delivery_syncs")
STATES: TableSpec[_State] = TableSpec("delivery_states", primary_key=lambda row: (row[0], row[1], row[2]))
RECORDS: TableSpec[_Row] = TableSpec("delivery_records", primary_key=_key)
_ACTIVE = (SyncStatus.QUEUED, SyncStatus.RUNNING)


@final
class MemorySourceRepository(SourceRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, source: Source) -> None:
        self._tx.put(SOURCES, source)

    async def get(self, owner_id: UUID, source_id: UUID) -> Source | None:
        source: Source | None = self._tx.get(SOURCES, source_id)
        return source if source is not None and source.owner_id == owner_id else None

    async def page(self, owner_id: UUID, *, after: UUID | None, limit: int) -> list[Source]:
        mine = sorted((s for s in self._tx.rows(SOURCES) if s.owner_id == owner_id), key=lambda s: s.id)
        return [s for s in mine if after is None or s.id > after][:limit]

    async def owned(self, owner_id: UUID, source_ids: Collection[UUID]) -> set[UUID]:
        return {source_id for source_id in source_ids if await self.get(owner_id, source_id) is not None}

    async def all_ids(self, owner_id: UUID) -> list[UUID]:
        return sorted(s.id for s in self._tx.rows(SOURCES) if s.owner_id == owner_id)

    async def save(self, source: Source) -> None:
        if await self.get(source.owner_id, source.id) is not None:
            self._tx.put(SOURCES, source)

    async def remove(self, owner_id: UUID, source_id: UUID) -> bool:
        if await self.get(owner_id, source_id) is None:
            return False
        for sync in list(self._tx.rows(SYNCS)):  # ON DELETE CASCADE
            if sync.source_id == source_id:
                self._tx.delete(SYNCS, sync.id)
        for state in list(self._tx.rows(STATES)):
            if state[1] == source_id:
                self._tx.delete(STATES, STATES.primary_key(state))
        for row in list(self._tx.rows(RECORDS)):
            if row.source_id == source_id:
                self._tx.delete(RECORDS, _key(row))
        return self._tx.delete(SOURCES, source_id)


@final
class MemorySyncRepository(SyncRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, sync: Sync) -> Sync:
        queued = next((s for s in self._tx.rows(SYNCS)
                       if s.source_id == sync.source_id and s.status is SyncStatus.QUEUED), None)
        if queued is not None:
            return queued
        self._tx.put(SYNCS, sync)
        return sync

    async def get(self, owner_id: UUID, sync_id: UUID) -> Sync | None:
        sync: Sync | None = self._tx.get(SYNCS, sync_id)
        return sync if sync is not None and sync.owner_id == owner_id else None

    async def latest(self, owner_id: UUID, source_ids: Collection[UUID]) -> dict[UUID, Sync]:
        newest: dict[UUID, Sync] = {}
        for sync in self._tx.rows(SYNCS):
            if sync.owner_id == owner_id and sync.source_id in source_ids:
                known = newest.get(sync.source_id)
                if known is None or (sync.requested_at, sync.id) > (known.requested_at, known.id):
                    newest[sync.source_id] = sync
        return newest

    async def save(self, sync: Sync) -> None:
        if self._tx.get(SYNCS, sync.id) is not None:
            self._tx.put(SYNCS, sync)

    async def claim(self, now: datetime, *, skip: Collection[UUID] = ()) -> Sync | None:
        ready = [s for s in self._tx.rows(SYNCS) if s.id not in skip and (
            s.status is SyncStatus.QUEUED or s.status is SyncStatus.RUNNING and s.lease_until is not None
            and s.lease_until <= now)]
        if not ready:
            return None
        claimed = min(ready, key=lambda s: (s.requested_at, s.id)).start(now)
        self._tx.put(SYNCS, claimed)
        return claimed

    async def queue_due(self, now: datetime, every: timedelta, ids: IdGenerator, trigger: SyncTrigger,
                        source_id: UUID | None = None) -> int:
        busy = {s.source_id for s in self._tx.rows(SYNCS) if s.status in _ACTIVE or s.requested_at > now - every}
        due = sorted((s for s in self._tx.rows(SOURCES) if s.id not in busy and source_id in (None, s.id)),
                     key=lambda s: s.id)
        for source in due:
            self._tx.put(SYNCS, Sync.queue(id=ids.new_id(), owner_id=source.owner_id, source_id=source.id,
                                           trigger=trigger, now=now))
        return len(due)


@final
class MemoryResourceStateRepository(ResourceStateRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def get(self, owner_id: UUID, source_id: UUID, resource: str) -> ResourceState | None:
        row = self._tx.get(STATES, (owner_id, source_id, resource))
        return None if row is None else row[3]

    async def save(self, owner_id: UUID, source_id: UUID, resource: str, state: ResourceState) -> None:
        self._tx.put(STATES, (owner_id, source_id, resource, state))

    async def clear(self, owner_id: UUID, source_id: UUID) -> None:
        for row in self._tx.rows(STATES):
            if row[0] == owner_id and row[1] == source_id:
                self._tx.delete(STATES, STATES.primary_key(row))


@final
class MemoryRecordRepository(RecordRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def upsert(self, owner_id: UUID, source_id: UUID, records: Sequence[Record]) -> SyncCounts:
        written: defaultdict[str, int] = defaultdict(int)
        for record in records:
            row = _Row(owner_id, source_id, record)
            old = self._tx.get(RECORDS, _key(row))
            if old is None or old.record != record:
                self._tx.put(RECORDS, replace(row, ranged=old is not None and old.ranged))
                written[type(record).__name__] += 1
        return SyncCounts(written["Deployment"], written["Change"], written["Incident"], written["DeployedCommit"])

    async def remove(self, owner_id: UUID, source_id: UUID, keys: Collection[str]) -> int:
        wanted = set(keys)
        gone = [row for row in self._rows(owner_id, source_id)
                if not isinstance(row.record, DeployedCommit) and row.record.key in wanted]
        return sum(self._tx.delete(RECORDS, _key(row)) for row in gone)

    async def retain(self, owner_id: UUID, source_id: UUID, keys: RecordKeys) -> int:
        kept = {"Deployment": keys.deployments, "Change": keys.changes, "Incident": keys.incidents,
                "deployed_commit": keys.deployed_commits}
        gone = [row for row in self._rows(owner_id, source_id) if _key(row)[2] not in kept[_key(row)[1]]]
        return sum(self._tx.delete(RECORDS, _key(row)) for row in gone)

    async def clear(self, owner_id: UUID, source_id: UUID) -> None:
        for row in self._rows(owner_id, source_id):
            self._tx.delete(RECORDS, _key(row))

    async def production(self, owner_id: UUID, source_id: UUID) -> list[Shipped]:
        return production_deployments(row.record for row in self._rows(owner_id, source_id)
                                      if isinstance(row.record, Deployment))

    async def ranged(self, owner_id: UUID, source_id: UUID) -> set[str]:
        return {row.record.key for row in self._rows(owner_id, source_id)
                if isinstance(row.record, Deployment) and row.ranged}

    async def add_range(self, owner_id: UUID, source_id: UUID, deployment_key: str, commits: Sequence[str]) -> int:
        deployment = self._tx.get(RECORDS, (source_id, "Deployment", deployment_key))
        if deployment is None or deployment.owner_id != owner_id:
            return 0
        self._tx.put(RECORDS, replace(deployment, ranged=True))
        counts = await self.upsert(owner_id, source_id, [DeployedCommit(deployment_key, c) for c in commits])
        return counts.deployed_commits

    def _rows(self, owner_id: UUID, source_id: UUID) -> list[_Row]:
        return [row for row in self._tx.rows(RECORDS) if row.source_id == source_id and row.owner_id == owner_id]


@final
class MemoryMetricsQuery(MetricsQuery):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def report(self, period: Period, granularity: Granularity, benchmark: Benchmark) -> DoraReport:
        return dora_report(combined(self._histories(period)), period.window, granularity, benchmark)

    async def deployments(self, period: Period, *, after: RowKey | None, limit: int) -> list[DeploymentRow]:
        return _after(deployment_rows(self._histories(period), period.window), after, limit)

    async def changes(self, period: Period, *, after: RowKey | None, limit: int) -> list[ChangeRow]:
        return _after(change_rows(self._histories(period), period.window), after, limit)

    async def incidents(self, period: Period, *, after: RowKey | None, limit: int) -> list[IncidentRow]:
        return _after(incident_rows(self._histories(period), period.window), after, limit)

    def _histories(self, period: Period) -> dict[UUID, History]:
        chosen = set(period.source_ids)
        found: dict[UUID, list[Record]] = {s: [] for s in period.source_ids}
        for row in self._tx.rows(RECORDS):
            if row.owner_id == period.owner_id and row.source_id in chosen:
                found[row.source_id].append(row.record)
        return {source_id: _history(records) for source_id, records in found.items()}


def _history(records: list[Record]) -> History:
    """One source's records, sorted by kind."""
    return History([r for r in records if isinstance(r, Deployment)], [r for r in records if isinstance(r, Change)],
                   [r for r in records if isinstance(r, Incident)],
                   [r for r in records if isinstance(r, DeployedCommit)])


R = TypeVar("R", DeploymentRow, ChangeRow, IncidentRow)


def _after(rows: list[R], after: RowKey | None, limit: int) -> list[R]:
    return [row for row in rows if after is None or row.position < after][:limit]


@final
class MemorySourceLocks(SourceLocks):
    """One run per source in this process (memory storage lives in one process)."""

    def __init__(self) -> None:
        self._held: set[UUID] = set()

    @asynccontextmanager
    async def hold(self, source_id: UUID) -> AsyncIterator[bool]:
        if source_id in self._held:
            yield False
            return
        self._held.add(source_id)
        try:
            yield True
        finally:
            self._held.discard(source_id)
