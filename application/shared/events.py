"""Reactions to domain events, run inside the unit of work that published the event, before it commits.

One context publishes (`uow.publish(AccountOpened(...))`) without knowing who listens; the composition root
registers each other context's handler (`EventHandlers().on(AccountOpened, AddDefaultCategories(ids))`), and the
unit of work runs them in its own transaction when it commits: the reaction commits or rolls back with its cause,
and a unit of work that does not commit (a dry run, an error) runs none.
"""

from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

from domain.shared.events import DomainEvent

E = TypeVar("E", bound=DomainEvent)
U = TypeVar("U", contravariant=True)


class EventHandlers(Generic[U]):
    """Which handlers react to which kind of event; each gets the unit of work (of type U) and the event."""

    def __init__(self) -> None:
        self._handlers: dict[type[DomainEvent], list[Callable[[Any, Any], Awaitable[None]]]] = {}

    def on(self, kind: type[E], handler: Callable[[U, E], Awaitable[None]]) -> "EventHandlers[U]":
        """Run `handler` for every event of exactly this kind, after the handlers registered before it."""
        self._handlers.setdefault(kind, []).append(handler)
        return self

    async def handle(self, uow: U, events: list[DomainEvent]) -> None:
        """Run the handlers of `events` in order, and of those the handlers publish meanwhile; empties `events`."""
        while events:
            event = events.pop(0)
            for handler in self._handlers.get(type(event), ()):
                await handler(uow, event)
