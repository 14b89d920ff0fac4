"""Every cross-context reaction in one list: which context's handler runs when another publishes an event."""

from typing import Protocol

from application.calendar.ports import CalendarUnitOfWork
from application.delivery.ports import DeliveryUnitOfWork
from application.fitness.ports import FitnessUnitOfWork
from application.identity.ports import ApiKeyUnitOfWork, IdentityUnitOfWork
from application.imaging.ports import ImagingUnitOfWork
from application.ledger.categories import AddDefaultCategories
from application.ledger.ports import LedgerUnitOfWork
from application.shared.events import EventHandlers
from application.shared.ids import IdGenerator
from domain.identity.events import AccountOpened


class AnyUnitOfWork(
    IdentityUnitOfWork, ApiKeyUnitOfWork, CalendarUnitOfWork, LedgerUnitOfWork, ImagingUnitOfWork, FitnessUnitOfWork,
    DeliveryUnitOfWork, Protocol,
):
    """Every context's repositories in one transaction, as both storages' units of work hand them out: a handler
    may ask for its own context's unit of work whichever context published the event."""


def event_handlers(ids: IdGenerator) -> EventHandlers[AnyUnitOfWork]:
    """The handlers both storages' units of work run before they commit."""
    return EventHandlers[AnyUnitOfWork]().on(AccountOpened, AddDefaultCategories(ids))
