"""PostgreSQL saved states: where each resource of a source resumes."""

from typing import final

from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from adapters.postgres.connection import LazyConnection
from adapters.postgres.tables.delivery import delivery_states as states
from application.delivery.ports import ResourceState, ResourceStateRepository


@final
class PostgresResourceStateRepository(ResourceStateRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def get(self, owner_id: UUID, source_id: UUID, resource: str) -> ResourceState | None:
        statement = select(states.c.cursor, states.c.etag).where(
            states.c.owner_id == owner_id, states.c.source_id == source_id, states.c.resource == resource)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else ResourceState(row.cursor, row.etag)

    async def save(self, owner_id: UUID, source_id: UUID, resource: str, state: ResourceState) -> None:
        statement = pg_insert(states).values(owner_id=owner_id, source_id=source_id, resource=resource,
                                             cursor=state.cursor, etag=state.etag)
        await self._conn.execute(statement.on_conflict_do_update(
            index_elements=["source_id", "resource"], set_={"cursor": state.cursor, "etag": state.etag}))

    async def clear(self, owner_id: UUID, source_id: UUID) -> None:
        await self._conn.execute(delete(states).where(states.c.owner_id == owner_id, states.c.source_id == source_id))
