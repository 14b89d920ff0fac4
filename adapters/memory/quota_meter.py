"""The daily quota spent on the in-memory store outside any caller's unit of work: a unit of work of its own."""

from datetime import date
from typing import final
from uuid import UUID

from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from application.identity.ports import QuotaMeter


@final
class MemoryQuotaMeter(QuotaMeter):
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    async def spend(self, owner_id: UUID, api_key_id: UUID, day: date, units: int, quota: int) -> int | None:
        async with MemoryUnitOfWork(self._store, account=owner_id) as uow:
            used = await uow.usage.spend(owner_id, api_key_id, day, units, quota)
            await uow.commit()
        return used
