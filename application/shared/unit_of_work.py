"""The unit-of-work port: one transaction per use case."""

from enum import StrEnum
from types import TracebackType
from typing import Protocol, Self, TypeVar
from uuid import UUID

from domain.shared.events import DomainEvent


class UnitOfWork(Protocol):
    """A transaction that hands out repositories; rolls back unless `commit()` was called. A write a repository
    refuses (a domain error) is refused when it is made or, at the latest, by `commit()`."""

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


class Purpose(StrEnum):
    """Why a unit of work that acts for no one account may read or write rows of any account: each names one path
    that runs before an account is known, and the database lets it reach only the tables and commands that path
    needs (docs/decisions.md, "Row-level security")."""

    LOGIN = "login"  # an account by its email or username
    REFRESH = "refresh"  # a refresh token by its hash
    API_KEY = "api_key"  # an API key by its hash
    FEED = "feed"  # a calendar feed by its token's hash
    DISPATCH = "dispatch"  # due reminders and their events, claimed and marked
    SYNC = "sync"  # due delivery syncs, queued and claimed
    ADAPT = "adapt"  # workout plans due for their weekly adaptation
    PURGE = "purge"  # deleted events and expired plan-cache entries, removed


U = TypeVar("U", bound=UnitOfWork, covariant=True)


class UowFactory(Protocol[U]):
    """How a use case opens a unit of work of its context: `uow: UowFactory[LedgerUnitOfWork]`. It acts for
    `account` (the database shows it that account's rows only), or for a `purpose` before any account is known;
    with neither it sees no one's rows."""

    def __call__(self, *, account: UUID | None = None, purpose: Purpose | None = None) -> U: ...
