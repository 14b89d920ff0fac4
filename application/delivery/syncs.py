"""Syncing a source: queue a run, claim queued runs, read each resource page by page.

A run commits each page's records, then the page's saved state, in one transaction; the cursor never passes data
that was not committed, so a run that fails loses nothing and the next one resumes. One run per source at a time
(`SourceLocks`); a claimed sync whose source is busy goes back to the queue.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from uuid import UUID

from application.delivery.ports import (
    DeliveryUnitOfWork, RecordKeys, ResourceState, SourceConnector, SourceControl, SourceLocks,
    SourceReader, SourceRejected, SourceUnavailable, TokenCipher, TokenUnreadable,
)
from application.delivery.sources import token_context
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.pages import MAX_LIMIT
from application.shared.unit_of_work import Purpose, UowFactory
from domain.delivery.ranges import missing_ranges
from domain.delivery.records import Change, DeployedCommit, Deployment, Incident, Record
from domain.delivery.source import Source, SourceNotFound
from domain.delivery.sync import Sync, SyncCounts, SyncNotFound, SyncTrigger
from domain.shared.errors import InvalidValue

UNREADABLE_TOKEN = "the source's token cannot be decrypted with this server's key (ATRIUM_SECRET_KEY changed?): set it again"


@dataclass
class RequestSync:
    """Queue a sync of the owner's source (202); while one is queued already, that one is the answer."""

    uow: UowFactory[DeliveryUnitOfWork]
    clock: Clock
    ids: IdGenerator

    async def __call__(self, owner_id: UUID, source_id: UUID) -> Sync:
        async with self.uow(account=owner_id) as uow:
            if await uow.delivery_sources.get(owner_id, source_id) is None:
                raise SourceNotFound()
            sync = await uow.delivery_syncs.add(Sync.queue(
                id=self.ids.new_id(), owner_id=owner_id, source_id=source_id, trigger=SyncTrigger.REQUESTED,
                now=self.clock.now()))
            await uow.commit()
        return sync


@dataclass
class GetSync:
    uow: UowFactory[DeliveryUnitOfWork]

    async def __call__(self, owner_id: UUID, sync_id: UUID) -> Sync:
        async with self.uow(account=owner_id) as uow:
            sync = await uow.delivery_syncs.get(owner_id, sync_id)
        if sync is None:
            raise SyncNotFound()
        return sync


@dataclass
class LatestSyncs:
    """The latest sync of each of the owner's sources that has one (the sources' own pages show it)."""

    uow: UowFactory[DeliveryUnitOfWork]

    async def __call__(self, owner_id: UUID, source_ids: Sequence[UUID]) -> dict[UUID, Sync]:
        if len(source_ids) > MAX_LIMIT:
            raise InvalidValue("source", f"must name at most {MAX_LIMIT} sources")
        async with self.uow(account=owner_id) as uow:
            return await uow.delivery_syncs.latest(owner_id, tuple(source_ids))


@dataclass
class QueueDueSyncs:
    """Queue a sync of every source (or one, for the command line) not synced for `every` and not syncing now."""

    uow: UowFactory[DeliveryUnitOfWork]
    clock: Clock
    ids: IdGenerator
    every: timedelta

    async def __call__(self, *, trigger: SyncTrigger = SyncTrigger.SCHEDULED, source_id: UUID | None = None,
                       every: timedelta | None = None) -> int:
        async with self.uow(purpose=Purpose.SYNC) as uow:
            queued = await uow.delivery_syncs.queue_due(
                self.clock.now(), self.every if every is None else every, self.ids, trigger, source_id)
            await uow.commit()
        return queued


@dataclass
class SyncReport:
    succeeded: int = 0
    failed: int = 0
    postponed: int = 0


@dataclass
class RunSyncs:
    """One pass: claim queued syncs one at a time (at most `limit`) and run each. A failure of the source (bad
    token, unknown repository, rate limit past the wait budget) fails the sync with a message safe to show."""

    uow: UowFactory[DeliveryUnitOfWork]
    clock: Clock
    cipher: TokenCipher
    connector: SourceConnector
    locks: SourceLocks
    limit: int = 20
    ranges_per_run: int = 200

    async def __call__(self) -> SyncReport:
        report, skip = SyncReport(), set[UUID]()
        for _ in range(self.limit):
            async with self.uow(purpose=Purpose.SYNC) as uow:
                sync = await uow.delivery_syncs.claim(self.clock.now(), skip=skip)
                await uow.commit()
            if sync is None:
                break
            outcome = await self._run(sync)
            if outcome is None:
                skip.add(sync.id)
                report.postponed += 1
            elif outcome:
                report.succeeded += 1
            else:
                report.failed += 1
        return report

    async def _run(self, sync: Sync) -> bool | None:
        """True when it succeeded, False when it failed, None when its source was busy (it is queued again)."""
        async with self.locks.hold(sync.source_id) as held:
            if not held:
                await self._save(sync.put_back())
                return None
            run = _Run(self, sync)
            try:
                await run.read()
            except SourceNotFound:
                return False  # deleted meanwhile, with its syncs
            except (SourceRejected, SourceUnavailable) as error:
                await self._save(run.sync.fail(self.clock.now(), str(error)))
                return False
            except TokenUnreadable:
                await self._save(run.sync.fail(self.clock.now(), UNREADABLE_TOKEN))
                return False
            except Exception as error:
                await self._save(run.sync.fail(self.clock.now(), f"internal error ({type(error).__name__})"))
                raise
            await self._save(run.sync.succeed(self.clock.now()))
            return True

    async def _save(self, sync: Sync) -> None:
        async with self.uow(account=sync.owner_id) as uow:
            await uow.delivery_syncs.save(sync)
            await uow.commit()


@dataclass
class _Keys:
    """What a snapshot run yielded, per kind."""

    deployments: set[str] = field(default_factory=set)
    changes: set[str] = field(default_factory=set)
    incidents: set[str] = field(default_factory=set)
    deployed_commits: set[str] = field(default_factory=set)

    def add(self, records: tuple[Record, ...]) -> None:
        for record in records:
            if isinstance(record, Deployment):
                self.deployments.add(record.key)
            elif isinstance(record, Change):
                self.changes.add(record.key)
            elif isinstance(record, Incident):
                self.incidents.add(record.key)
            elif isinstance(record, DeployedCommit):
                self.deployed_commits.add(deployed_key(record))

    def frozen(self) -> RecordKeys:
        return RecordKeys(frozenset(self.deployments), frozenset(self.changes), frozenset(self.incidents),
                          frozenset(self.deployed_commits))


def deployed_key(record: DeployedCommit) -> str:
    """A deployed commit's key in RecordKeys (git refs and provider keys never hold a newline)."""
    return f"{record.deployment_key}\n{record.commit}"


def distinct(records: tuple[Record, ...]) -> list[Record]:
    """The page's records, the last one of each kind and key (a store writes each row once per statement)."""
    unique: dict[tuple[str, str], Record] = {}
    for record in records:
        key = deployed_key(record) if isinstance(record, DeployedCommit) else record.key
        unique[(type(record).__name__, key)] = record
    return list(unique.values())


class _Run:
    """One sync's reading: every resource of the source, then the commit ranges of new production deployments."""

    def __init__(self, runner: RunSyncs, sync: Sync) -> None:
        self.runner, self.sync = runner, sync
        self.owner_id, self.source_id = sync.owner_id, sync.source_id

    async def read(self) -> None:
        async with self.runner.uow(account=self.owner_id) as uow:
            source = await uow.delivery_sources.get(self.owner_id, self.source_id)
        if source is None:
            raise SourceNotFound()
        connected = self.runner.connector.connect(source, self._token(source))
        for reader in connected.readers():
            await self._resource(reader)
        if isinstance(connected, SourceControl):
            await self._ranges(connected)

    def _token(self, source: Source) -> str | None:
        if source.sealed_token is None:
            return None
        return self.runner.cipher.open(source.sealed_token, token_context(source))

    async def _resource(self, reader: SourceReader) -> None:
        resource, snapshot = reader.resource, reader.snapshot
        async with self.runner.uow(account=self.owner_id) as uow:
            state = await uow.delivery_states.get(self.owner_id, self.source_id, resource) or ResourceState()
        keys, complete = _Keys() if snapshot else None, False
        async for page in reader.pages(state):
            if keys is not None:
                keys.add(page.items)
            async with self.runner.uow(account=self.owner_id) as uow:
                counts = await uow.delivery_records.upsert(self.owner_id, self.source_id, distinct(page.items))
                if page.removed:
                    removed = await uow.delivery_records.remove(self.owner_id, self.source_id, page.removed)
                    counts = counts + SyncCounts(removed=removed)
                if page.state is not None:
                    await uow.delivery_states.save(self.owner_id, self.source_id, resource, page.state)
                    complete = True
                await self._progress(uow, counts)
                await uow.commit()
        if keys is not None and complete:
            async with self.runner.uow(account=self.owner_id) as uow:
                removed = await uow.delivery_records.retain(self.owner_id, self.source_id, keys.frozen())
                await self._progress(uow, SyncCounts(removed=removed))
                await uow.commit()

    async def _ranges(self, control: SourceControl) -> None:
        async with self.runner.uow(account=self.owner_id) as uow:
            production = await uow.delivery_records.production(self.owner_id, self.source_id)
            known = await uow.delivery_records.ranged(self.owner_id, self.source_id)
        for request in missing_ranges(production, known)[: self.runner.ranges_per_run]:
            commits = await control.commits_between(request.base, request.head)
            async with self.runner.uow(account=self.owner_id) as uow:
                added = await uow.delivery_records.add_range(
                    self.owner_id, self.source_id, request.deployment_key, commits)
                await self._progress(uow, SyncCounts(deployed_commits=added))
                await uow.commit()

    async def _progress(self, uow: DeliveryUnitOfWork, counts: SyncCounts) -> None:
        self.sync = self.sync.progress(counts, self.runner.clock.now())
        await uow.delivery_syncs.save(self.sync)
