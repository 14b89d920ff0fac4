from datetime import UTC, datetime
from uuid import UUID

import pytest
from dependency_injector import providers

from adapters.clock import SettableClock
from adapters.ids import Uuid7Generator
from adapters.memory.calendar import CALENDAR_FEEDS, EVENTS, NOTES, NOTIFICATIONS, REMINDERS
from adapters.memory.store import MemoryStore
from application.calendar.ports import ReminderMessage
from application.shared.errors import UpstreamFailed
from domain.calendar.webhook import CalendarWebhook
from entrypoints.container import Container
from tests.composition import UseCases

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday, before the EU switches to summer time


class ScriptedNotifier:
    """A webhook stand-in: fails the first `failures` deliveries, records the ones that went through."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.delivered: list[ReminderMessage] = []

    async def deliver(self, message: ReminderMessage) -> None:
        if self.failures:
            self.failures -= 1
            raise UpstreamFailed("webhook answered 503")
        self.delivered.append(message)


def row_count(store: MemoryStore) -> int:
    return sum(len(store.table(spec).rows) for spec in (EVENTS, REMINDERS, NOTES, NOTIFICATIONS, CALENDAR_FEEDS))


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(T0)


@pytest.fixture
def cal(container: Container, clock: SettableClock) -> UseCases:
    """Every calendar use case by its provider's name, with webhook deliveries going to a `ScriptedNotifier`."""
    webhook = ScriptedNotifier()
    container.calendar.webhook_notifier.override(providers.Object(webhook))
    return UseCases(container.calendar, uow=container.infrastructure.uow, clock=clock, webhook=webhook,
                    store=container.infrastructure.memory_store())


@pytest.fixture
def owner() -> UUID:
    return Uuid7Generator().new_id()


@pytest.fixture(autouse=True)
async def owner_webhook(cal: UseCases, owner: UUID) -> None:
    """The owner has a webhook, so webhook reminders may be set."""
    async with cal.uow() as uow:
        await uow.calendar_webhooks.save(CalendarWebhook(owner, "https://hooks.example.com/atrium", "whsec_test", T0))
        await uow.commit()


@pytest.fixture
def stranger() -> UUID:
    return Uuid7Generator().new_id()


@pytest.fixture
def rows(cal: UseCases):
    """How many calendar rows the store holds."""
    return lambda: row_count(cal.store)
