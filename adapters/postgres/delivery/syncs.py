"""PostgreSQL syncs: at most one queued per source (a partial unique index); claims use FOR UPDATE SKIP LOCKED."""

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any, final
from uuid import UUID

from sqlalchemy import exists, or_, select, text, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.dialects.postgresql import insert as pg_insert

from adapters.postgres.connection import LazyConnection
from adapters.postgres.prepared import columns, owned_row
from adapters.postgres.tables.delivery import delivery_sources, delivery_syncs
from application.shared.ids import IdGenerator
from application.delivery.ports import SyncRepository
from domain.delivery.sync import Sync, SyncCounts, SyncStatus, SyncTrigger

_BY_ID = owned_row(delivery_syncs)
_COUNTS = ("deployments", "changes", "incidents", "deployed_commits", "removed")
_ACTIVE = (SyncStatus.QUEUED.value, SyncStatus.RUNNING.value)


def _sync(row: Any) -> Sync:
    v = columns(row)
    return Sync(v["id"], v["owner_id"], v["source_id"], SyncTrigger(v["origin"]), SyncStatus(v["status"]),
                v["requested_at"], v["started_at"], v["finished_at"], v["lease_until"],
                SyncCounts(*(v[name] for name in _COUNTS)), v["error"])


def _values(sync: Sync) -> dict[str, Any]:
    return {"id": sync.id, "owner_id": sync.owner_id, "source_id": sync.source_id, "origin": sync.trigger.value,
            "status": sync.status.value, "requested_at": sync.requested_at, "started_at": sync.started_at,
            "finished_at": sync.finished_at, "lease_until": sync.lease_until, "error": sync.error,
            **{name: getattr(sync.counts, name) for name in _COUNTS}}


@final
class PostgresSyncRepository(SyncRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, sync: Sync) -> Sync:
        statement = (pg_insert(delivery_syncs).values(_values(sync))
                     .on_conflict_do_nothing(index_elements=["source_id"], index_where=text("status = 'queued'"))
                     .returning(delivery_syncs.c.id))
        if (await self._conn.execute(statement)).first() is not None:
            return sync
        queued = select(delivery_syncs).where(delivery_syncs.c.source_id == sync.source_id,
                                              delivery_syncs.c.status == SyncStatus.QUEUED.value)
        row = (await self._conn.execute(queued)).first()
        return sync if row is None else _sync(row)

    async def get(self, owner_id: UUID, sync_id: UUID) -> Sync | None:
        row = await _BY_ID.one(self._conn, id=sync_id, owner_id=owner_id)
        return None if row is None else _sync(row)

    async def latest(self, owner_id: UUID, source_ids: Collection[UUID]) -> dict[UUID, Sync]:
        if not source_ids:
            return {}
        newest = (select(delivery_syncs).ext(distinct_on(delivery_syncs.c.source_id))
                  .where(delivery_syncs.c.owner_id == owner_id, delivery_syncs.c.source_id.in_(list(source_ids)))
                  .order_by(delivery_syncs.c.source_id, delivery_syncs.c.requested_at.desc(),
                            delivery_syncs.c.id.desc()))
        return {row.source_id: _sync(row) for row in await self._conn.execute(newest)}

    async def save(self, sync: Sync) -> None:
        values = _values(sync)
        del values["id"], values["owner_id"], values["source_id"]
        await self._conn.execute(update(delivery_syncs).values(values).where(delivery_syncs.c.id == sync.id))

    async def claim(self, now: datetime, *, skip: Collection[UUID] = ()) -> Sync | None:
        # Rows another claim holds are skipped; a committed claim is running with a lease ahead of now.
        ready = (select(delivery_syncs).where(
            delivery_syncs.c.status.in_(_ACTIVE),
            or_(delivery_syncs.c.status == SyncStatus.QUEUED.value, delivery_syncs.c.lease_until <= now))
            .order_by(delivery_syncs.c.requested_at, delivery_syncs.c.id).limit(1).with_for_update(skip_locked=True))
        if skip:
            ready = ready.where(delivery_syncs.c.id.not_in(list(skip)))
        row = (await self._conn.execute(ready)).first()
        if row is None:
            return None
        claimed = _sync(row).start(now)
        await self.save(claimed)
        return claimed

    async def queue_due(self, now: datetime, every: timedelta, ids: IdGenerator, trigger: SyncTrigger,
                        source_id: UUID | None = None) -> int:
        recent = exists().where(delivery_syncs.c.source_id == delivery_sources.c.id, or_(
            delivery_syncs.c.status.in_(_ACTIVE), delivery_syncs.c.requested_at > now - every))
        due = select(delivery_sources.c.id, delivery_sources.c.owner_id).where(~recent).order_by(delivery_sources.c.id)
        if source_id is not None:
            due = due.where(delivery_sources.c.id == source_id)
        rows = list(await self._conn.execute(due))
        if not rows:
            return 0
        values = [_values(Sync.queue(id=ids.new_id(), owner_id=row.owner_id, source_id=row.id, trigger=trigger,
                                     now=now)) for row in rows]
        statement = (pg_insert(delivery_syncs).values(values)
                     .on_conflict_do_nothing(index_elements=["source_id"], index_where=text("status = 'queued'")))
        return int((await self._conn.execute(statement)).rowcount)
