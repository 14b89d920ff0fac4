from datetime import UTC, datetime
from types import SimpleNamespace
from uuid import UUID

import pytest

from adapters.clock import SettableClock
from adapters.ids import Uuid7Generator
from adapters.memory.calendar import CALENDAR_FEEDS, EVENTS, NOTES, NOTIFICATIONS, REMINDERS
from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.notifiers.in_app import InAppNotifier
from adapters.recurrence import DateutilRecurrenceExpander
from application.calendar import dispatch, events, feed, inbox, notes, reminders
from application.calendar.ports import ReminderMessage
from application.shared.errors import UpstreamFailed
from domain.calendar.reminder import Channel
from domain.calendar.webhook import CalendarWebhook

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


def make_calendar(clock: SettableClock) -> SimpleNamespace:
    """Every calendar use case, wired on one fresh in-memory store."""
    store, ids, expander = MemoryStore(), Uuid7Generator(), DateutilRecurrenceExpander()

    def uow() -> MemoryUnitOfWork:
        return MemoryUnitOfWork(store)

    webhook = ScriptedNotifier()
    notifiers = {Channel.IN_APP: InAppNotifier(uow, clock, ids), Channel.WEBHOOK: webhook}
    return SimpleNamespace(
        store=store, uow=uow, clock=clock, webhook=webhook,
        create_event=events.CreateEvent(uow, clock, ids, expander),
        get_event=events.GetEvent(uow),
        list_events=events.ListEvents(uow, clock, expander),
        update_event=events.UpdateEvent(uow, clock, expander),
        delete_event=events.DeleteEvent(uow, clock),
        restore_event=events.RestoreEvent(uow, clock, expander),
        purge=events.PurgeDeletedEvents(uow, clock),
        create_reminder=reminders.CreateReminder(uow, clock, ids, expander),
        event_reminders=reminders.ListEventReminders(uow),
        list_reminders=reminders.ListReminders(uow),
        delete_reminder=reminders.DeleteReminder(uow),
        snooze=reminders.SnoozeReminder(uow, clock),
        dispatch=dispatch.DispatchDueReminders(uow, clock, expander, notifiers),
        create_note=notes.CreateNote(uow, clock, ids),
        list_notes=notes.ListNotes(uow),
        update_note=notes.UpdateNote(uow, clock),
        delete_note=notes.DeleteNote(uow),
        inbox=inbox.ListNotifications(uow),
        mark_read=inbox.MarkNotificationRead(uow, clock),
        issue_feed=feed.IssueCalendarFeed(uow, clock, ids),
        revoke_feed=feed.RevokeCalendarFeed(uow),
        resolve_feed=feed.ResolveCalendarFeed(uow),
    )


def row_count(store: MemoryStore) -> int:
    return sum(len(store.table(spec).rows) for spec in (EVENTS, REMINDERS, NOTES, NOTIFICATIONS, CALENDAR_FEEDS))


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(T0)


@pytest.fixture
def cal(clock: SettableClock) -> SimpleNamespace:
    return make_calendar(clock)


@pytest.fixture
def owner() -> UUID:
    return Uuid7Generator().new_id()


@pytest.fixture(autouse=True)
async def owner_webhook(cal: SimpleNamespace, owner: UUID) -> None:
    """The owner has a webhook, so webhook reminders may be set."""
    async with cal.uow() as uow:
        await uow.calendar_webhooks.save(CalendarWebhook(owner, "https://hooks.example.com/atrium", "whsec_test", T0))
        await uow.commit()


@pytest.fixture
def stranger() -> UUID:
    return Uuid7Generator().new_id()


@pytest.fixture
def rows(cal: SimpleNamespace):
    """How many calendar rows the store holds."""
    return lambda: row_count(cal.store)
