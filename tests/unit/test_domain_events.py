"""Domain events: handlers run inside the publishing unit of work when it commits, and never without a commit."""

from dataclasses import dataclass

import pytest

from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from application.shared.events import EventHandlers
from domain.shared.events import DomainEvent


@dataclass(frozen=True, slots=True)
class Rang(DomainEvent):
    times: int


def recording() -> tuple[EventHandlers[MemoryUnitOfWork], list[str]]:
    seen: list[str] = []

    async def first(uow: MemoryUnitOfWork, event: Rang) -> None:
        seen.append(f"first {event.times}")
        if event.times < 2:
            uow.publish(Rang(event.times + 1))  # a handler's own event is handled in turn

    async def second(uow: MemoryUnitOfWork, event: Rang) -> None:
        seen.append(f"second {event.times}")

    return EventHandlers[MemoryUnitOfWork]().on(Rang, first).on(Rang, second), seen


async def test_handlers_run_at_commit_in_order():
    handlers, seen = recording()
    async with MemoryUnitOfWork(MemoryStore(), handlers) as uow:
        uow.publish(Rang(1))
        assert seen == []
        await uow.commit()
    assert seen == ["first 1", "second 1", "first 2", "second 2"]


async def test_a_unit_of_work_that_does_not_commit_runs_no_handler():
    handlers, seen = recording()
    with pytest.raises(RuntimeError):
        async with MemoryUnitOfWork(MemoryStore(), handlers) as uow:
            uow.publish(Rang(1))
            raise RuntimeError("the use case failed")
    async with MemoryUnitOfWork(MemoryStore(), handlers) as uow:
        await uow.commit()  # a new unit of work starts with no events
    assert seen == []
