"""PostgreSQL only: concurrent dispatchers deliver each reminder once; the month listing stays on its indexes."""

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from adapters.recurrence import DateutilRecurrenceExpander
from application.calendar.dispatch import DispatchDueReminders
from application.calendar.ports import ReminderMessage
from domain.calendar.event import Event
from domain.calendar.occurrence import EventQuery
from domain.calendar.reminder import Channel, Reminder
from tests.contract.plans import Capturing
from tests.contract.plans import plans as explain
from tests.factories import account, new_id

pytestmark = pytest.mark.parametrize("storage", ["postgres"], indirect=True)
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class CountingNotifier:
    """Counts deliveries per reminder and yields to the loop, so two dispatchers interleave."""

    def __init__(self) -> None:
        self.deliveries: Counter = Counter()

    async def deliver(self, message: ReminderMessage) -> None:
        self.deliveries[message.reminder_id] += 1
        await asyncio.sleep(0)


class FixedClock:
    def now(self) -> datetime:
        return T0 + timedelta(hours=1)


async def test_two_dispatchers_running_at_once_never_deliver_one_reminder_twice(uow_factory, storage):
    owner = account()
    due = []
    async with uow_factory() as uow:
        await uow.accounts.add(owner)
        for n in range(60):
            start = T0 + timedelta(minutes=30 + n % 7)
            event = Event.create(id=new_id(), owner_id=owner.id, title=f"event {n}", start_time=start,
                                 end_time=start + timedelta(minutes=30), time_zone="UTC", now=T0)
            await uow.events.add(event)
            reminder = Reminder.create(id=new_id(), owner_id=owner.id, event_id=event.id, minutes_before=10,
                                       channel="in_app", occurrence_start=start, now=T0)
            await uow.reminders.add(reminder)
            due.append(reminder.id)
        await uow.commit()

    notifier = CountingNotifier()

    def dispatcher() -> DispatchDueReminders:
        return DispatchDueReminders(uow_factory, FixedClock(), DateutilRecurrenceExpander(),
                                    {Channel.IN_APP: notifier}, batch_size=7)

    async def drain(dispatch: DispatchDueReminders) -> int:
        delivered = 0
        while (report := await dispatch()).delivered:
            delivered += report.delivered
        return delivered

    first, second = await asyncio.gather(drain(dispatcher()), drain(dispatcher()))
    assert first + second == len(due)
    assert first > 0 and second > 0  # both really worked at once
    assert set(notifier.deliveries) == set(due) and set(notifier.deliveries.values()) == {1}
    async with uow_factory() as uow:
        statuses = {(await uow.reminders.get(owner.id, rid)).status for rid in due}
    assert statuses == {"sent"}


async def test_listing_a_month_of_an_owner_with_100k_events_uses_the_indexes(uow_factory, storage, clean_postgres):
    owner = account()
    async with uow_factory() as uow:
        await uow.accounts.add(owner)
        await uow.commit()
    async with clean_postgres.begin() as conn:
        await conn.execute(text("""
            INSERT INTO events (id, owner_id, title, start_time, end_time, time_zone, all_day, created_at, updated_at)
            SELECT gen_random_uuid(), :owner, 'event ' || n, timestamptz '2020-01-01' + n * interval '53 minutes',
                   timestamptz '2020-01-01' + n * interval '53 minutes' + interval '1 hour', 'UTC', false, now(), now()
            FROM generate_series(1, 100000) n"""), {"owner": owner.id})
        await conn.execute(text("ANALYZE events"))

    async with uow_factory() as uow:
        captured = uow.events._conn = Capturing(uow.events._conn)
        month = EventQuery(datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 4, 1, tzinfo=UTC))
        assert len(await uow.events.single_page(owner.id, month, after=None, limit=51)) == 51
        await uow.events.series(owner.id, month)
        plans = await explain(captured)
    assert "Index Scan using ix_events_owner_id_start_time_id" in plans[0], plans[0]
    assert "ix_events_owner_id_span" in plans[0], plans[0]
    assert "ix_events_owner_id_series_start_time" in plans[1], plans[1]
    assert not any("Seq Scan" in plan for plan in plans), plans
