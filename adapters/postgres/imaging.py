"""PostgreSQL image generations and idempotency keys."""

from datetime import datetime
from typing import Any, final
from uuid import UUID

from sqlalchemy import ColumnElement, delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert

from adapters.postgres.connection import LazyConnection
from adapters.postgres.prepared import columns, inserting, owned_row, values_of
from adapters.postgres.tables.imaging import image_generations, image_idempotency_keys
from application.imaging.ports import GenerationRepository, IdempotencyRepository
from domain.imaging.generation import Generation, ImageFormat
from domain.imaging.idempotency import IdempotencyKeyInProgress, IdempotencyRecord


_GENERATION_BY_ID, _INSERT_GENERATION = owned_row(image_generations), inserting(image_generations)


def _generation(row: Any) -> Generation:
    values = columns(row)
    return Generation(**{**values, "format": ImageFormat(values["format"])})


@final
class PostgresGenerationRepository(GenerationRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, generation: Generation) -> None:
        await _INSERT_GENERATION.run(self._conn, **values_of(generation) | {"format": generation.format.value})

    async def get(self, owner_id: UUID, generation_id: UUID) -> Generation | None:
        row = await _GENERATION_BY_ID.one(self._conn, owner_id=owner_id, id=generation_id)
        return None if row is None else _generation(row)

    async def list(
        self, owner_id: UUID, *, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> list[Generation]:
        table = image_generations
        statement = (select(table).where(table.c.owner_id == owner_id)
                     .order_by(table.c.created_at.desc(), table.c.id.desc()).limit(limit))
        if before is not None:
            statement = statement.where(tuple_(table.c.created_at, table.c.id) < tuple_(*before))
        return [_generation(row) for row in await self._conn.execute(statement)]


@final
class PostgresIdempotencyRepository(IdempotencyRepository):
    """`get` locks the record until commit, so two retries of one key never both take over a dead claim."""

    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def get(self, owner_id: UUID, key: str) -> IdempotencyRecord | None:
        row = (await self._conn.execute(select(image_idempotency_keys).where(
            *self._is(owner_id, key)).with_for_update())).first()
        return None if row is None else IdempotencyRecord(**row._mapping)

    async def add(self, record: IdempotencyRecord) -> None:
        # A concurrent claim of the same key makes this wait for it, then insert nothing.
        statement = pg_insert(image_idempotency_keys).values(values_of(record)).on_conflict_do_nothing()
        if (await self._conn.execute(statement)).rowcount != 1:
            raise IdempotencyKeyInProgress()

    async def save(self, record: IdempotencyRecord) -> None:
        statement = pg_insert(image_idempotency_keys).values(values_of(record))
        await self._conn.execute(statement.on_conflict_do_update(
            index_elements=[image_idempotency_keys.c.owner_id, image_idempotency_keys.c.key],
            set_={name: statement.excluded[name] for name in record.__slots__ if name not in ("owner_id", "key")},
        ))

    async def remove(self, owner_id: UUID, key: str) -> None:
        await self._conn.execute(delete(image_idempotency_keys).where(*self._is(owner_id, key)))

    async def remove_created_before(self, before: datetime) -> int:
        result = await self._conn.execute(
            delete(image_idempotency_keys).where(image_idempotency_keys.c.created_at < before))
        return result.rowcount

    @staticmethod
    def _is(owner_id: UUID, key: str) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
        return image_idempotency_keys.c.owner_id == owner_id, image_idempotency_keys.c.key == key
