"""The unit-of-work port: one transaction per use case."""

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self, TypeAlias, TypeVar

from domain.shared.events import DomainEvent


class UnitOfWork(Protocol):
    """A transaction that hands out repositories; rolls back unless `commit()` was called."""

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def publish(self, event: DomainEvent) -> None:
        """Announce `event`: the handlers registered for it run inside this unit of work when it commits."""
        ...

    async def commit(self) -> None:
        """Run the handlers of the events published, then make every change durable, all or nothing."""
        ...


U = TypeVar("U", bound=UnitOfWork)
UowFactory: TypeAlias = Callable[[], U]
"""How a use case opens a unit of work of its context: `uow: UowFactory[LedgerUnitOfWork]`."""
