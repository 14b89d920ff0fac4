"""In-memory image generations and idempotency keys."""

from datetime import datetime
from typing import final
from uuid import UUID

from adapters.memory.store import MemoryTransaction, TableSpec
from application.imaging.ports import GenerationRepository, IdempotencyRepository
from domain.imaging.generation import Generation
from domain.imaging.idempotency import IdempotencyKeyInProgress, IdempotencyRecord

IMAGE_GENERATIONS: TableSpec[Generation] = TableSpec("image_generations")
# The primary key is the unique pair (owner_id, key): uq_image_idempotency_keys_owner_id_key.
IMAGE_IDEMPOTENCY_KEYS: TableSpec[IdempotencyRecord] = TableSpec(
    "image_idempotency_keys", primary_key=lambda r: (r.owner_id, r.key))


@final
class MemoryGenerationRepository(GenerationRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, generation: Generation) -> None:
        self._tx.put(IMAGE_GENERATIONS, generation)

    async def get(self, owner_id: UUID, generation_id: UUID) -> Generation | None:
        generation = self._tx.get(IMAGE_GENERATIONS, generation_id)
        return generation if generation is not None and generation.owner_id == owner_id else None

    async def list(
        self, owner_id: UUID, *, limit: int, before: tuple[datetime, UUID] | None = None
    ) -> list[Generation]:
        rows = [
            g for g in self._tx.rows(IMAGE_GENERATIONS)
            if g.owner_id == owner_id and (before is None or (g.created_at, g.id) < before)
        ]
        return sorted(rows, key=lambda g: (g.created_at, g.id), reverse=True)[:limit]


@final
class MemoryIdempotencyRepository(IdempotencyRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def get(self, owner_id: UUID, key: str) -> IdempotencyRecord | None:
        return self._tx.get(IMAGE_IDEMPOTENCY_KEYS, (owner_id, key))

    async def add(self, record: IdempotencyRecord) -> None:
        if self._tx.get(IMAGE_IDEMPOTENCY_KEYS, (record.owner_id, record.key)) is not None:
            raise IdempotencyKeyInProgress()
        self._tx.put(IMAGE_IDEMPOTENCY_KEYS, record)

    async def save(self, record: IdempotencyRecord) -> None:
        self._tx.put(IMAGE_IDEMPOTENCY_KEYS, record)

    async def remove(self, owner_id: UUID, key: str) -> None:
        self._tx.delete(IMAGE_IDEMPOTENCY_KEYS, (owner_id, key))

    async def remove_created_before(self, before: datetime) -> int:
        stale = [r for r in self._tx.rows(IMAGE_IDEMPOTENCY_KEYS) if r.created_at < before]
        for record in stale:
            self._tx.delete(IMAGE_IDEMPOTENCY_KEYS, (record.owner_id, record.key))
        return len(stale)
