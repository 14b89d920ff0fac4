"""PostgreSQL delivery sources; deleting one cascades to its syncs, states and records."""

from collections.abc import Collection
from typing import Any, final
from uuid import UUID

from sqlalchemy import delete, insert, select, update

from adapters.postgres.connection import LazyConnection
from adapters.postgres.prepared import columns, owned_row
from adapters.postgres.tables.delivery import delivery_sources
from application.delivery.ports import SourceRepository
from domain.delivery.source import Source, SourceKind, SourceOptions

_BY_ID = owned_row(delivery_sources)


def _source(row: Any) -> Source:
    values = columns(row)
    options = SourceOptions(tuple(values["deployment_patterns"]), values["production_pattern"],
                            tuple(values["incident_labels"]), values["incident_pattern"])
    return Source(values["id"], values["owner_id"], SourceKind(values["kind"]), values["target"], options,
                  values["sealed_token"], values["created_at"], values["updated_at"])


def _values(source: Source) -> dict[str, Any]:
    options = source.options
    return {"id": source.id, "owner_id": source.owner_id, "kind": source.kind.value, "target": source.target,
            "deployment_patterns": list(options.deployment_patterns), "production_pattern": options.production_pattern,
            "incident_labels": list(options.incident_labels), "incident_pattern": options.incident_pattern,
            "sealed_token": source.sealed_token, "created_at": source.created_at, "updated_at": source.updated_at}


@final
class PostgresSourceRepository(SourceRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, source: Source) -> None:
        await self._conn.execute(insert(delivery_sources).values(_values(source)))

    async def get(self, owner_id: UUID, source_id: UUID) -> Source | None:
        row = await _BY_ID.one(self._conn, id=source_id, owner_id=owner_id)
        return None if row is None else _source(row)

    async def page(self, owner_id: UUID, *, after: UUID | None, limit: int) -> list[Source]:
        statement = (select(delivery_sources).where(delivery_sources.c.owner_id == owner_id)
                     .order_by(delivery_sources.c.id).limit(limit))
        if after is not None:
            statement = statement.where(delivery_sources.c.id > after)
        return [_source(row) for row in await self._conn.execute(statement)]

    async def owned(self, owner_id: UUID, source_ids: Collection[UUID]) -> set[UUID]:
        statement = select(delivery_sources.c.id).where(
            delivery_sources.c.owner_id == owner_id, delivery_sources.c.id.in_(list(source_ids)))
        return set((await self._conn.execute(statement)).scalars())

    async def all_ids(self, owner_id: UUID) -> list[UUID]:
        statement = (select(delivery_sources.c.id).where(delivery_sources.c.owner_id == owner_id)
                     .order_by(delivery_sources.c.id))
        return list((await self._conn.execute(statement)).scalars())

    async def save(self, source: Source) -> None:
        statement = (update(delivery_sources).values(_values(source))
                     .where(delivery_sources.c.id == source.id, delivery_sources.c.owner_id == source.owner_id))
        await self._conn.execute(statement)

    async def remove(self, owner_id: UUID, source_id: UUID) -> bool:
        statement = delete(delivery_sources).where(
            delivery_sources.c.id == source_id, delivery_sources.c.owner_id == owner_id)
        return bool((await self._conn.execute(statement)).rowcount == 1)
