import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from application.calendar.dispatch import DispatchDueReminders
from application.calendar.ports import ReminderMessage
from domain.calendar.reminder import MAX_ATTEMPTS, ReminderStatus

OSLO = ZoneInfo("Europe/Oslo")


async def event_in(cal, owner, delta, **fields):
    start = cal.clock.now() + delta
    return await cal.create_event(owner, title="Review", start_time=start, end_time=start + timedelta(hours=1),
                                  **fields)


async def only_reminder(cal, owner, event):
    [reminder] = await cal.list_event_reminders(owner, event.id)
    return reminder


async def test_a_reminder_reaches_the_inbox_at_its_due_time_exactly_once(cal, owner):
    event = await event_in(cal, owner, timedelta(hours=1), location="Room 4")
    await cal.create_reminder(owner, event.id, minutes_before=15)
    cal.clock.advance(minutes=44, seconds=59)
    assert (await cal.dispatch_reminders()).delivered == 0
    cal.clock.advance(seconds=1)
    assert (await cal.dispatch_reminders()).delivered == 1
    assert (await cal.dispatch_reminders()).delivered == 0

    [notification] = (await cal.list_notifications(owner)).items
    assert notification.event_id == event.id and notification.read_at is None
    assert notification.body == "Review, 2026-03-02 09:00 (UTC) at Room 4"
    reminder = await only_reminder(cal, owner, event)
    assert (reminder.status, reminder.sent_at) == (ReminderStatus.SENT, cal.clock.now())


async def test_a_failed_delivery_is_retried_with_backoff_then_marked_failed(cal, owner):
    cal.webhook.failures = 99
    event = await event_in(cal, owner, timedelta(hours=1))
    await cal.create_reminder(owner, event.id, minutes_before=60, channel="webhook")
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = await cal.dispatch_reminders()
        reminder = await only_reminder(cal, owner, event)
        assert reminder.attempts == attempt and reminder.last_error == "webhook answered 503"
        if reminder.status is ReminderStatus.FAILED:
            break
        waits.append(reminder.next_attempt_at - cal.clock.now())
        cal.clock.advance(waits[-1] - timedelta(seconds=1))
        assert (await cal.dispatch_reminders()).retrying == 0  # not before its time
        cal.clock.advance(seconds=1)
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert (report.failed, reminder.status, reminder.next_attempt_at) == (1, ReminderStatus.FAILED, None)
    cal.clock.advance(days=1)
    assert (await cal.dispatch_reminders()).failed == 0 and cal.webhook.delivered == []


async def test_a_delivery_that_succeeds_on_retry_is_sent_once(cal, owner):
    cal.webhook.failures = 2
    event = await event_in(cal, owner, timedelta(minutes=30))
    await cal.create_reminder(owner, event.id, minutes_before=30, channel="webhook")
    for _ in range(3):
        await cal.dispatch_reminders()
        cal.clock.advance(minutes=2)
    assert len(cal.webhook.delivered) == 1 and cal.webhook.delivered[0].event_id == event.id
    assert (await only_reminder(cal, owner, event)).status is ReminderStatus.SENT


async def test_a_series_reminder_moves_to_the_next_occurrence_after_each_delivery(cal, owner):
    start = datetime(2026, 3, 16, 9, 0, tzinfo=OSLO)
    event = await cal.create_event(owner, title="Standup", start_time=start, end_time=start + timedelta(minutes=15),
                                   time_zone="Europe/Oslo", recurrence="RRULE:FREQ=WEEKLY;COUNT=3")
    await cal.create_reminder(owner, event.id, minutes_before=10)
    dues = []
    for _ in range(3):
        reminder = await only_reminder(cal, owner, event)
        dues.append(reminder.due_at.astimezone(OSLO).strftime("%m-%d %H:%M %Z"))
        cal.clock.set(reminder.due_at)
        assert (await cal.dispatch_reminders()).delivered == 1
    assert dues == ["03-16 08:50 CET", "03-23 08:50 CET", "03-30 08:50 CEST"]
    assert (await only_reminder(cal, owner, event)).status is ReminderStatus.SENT
    assert len((await cal.list_notifications(owner)).items) == 3


async def test_two_dispatchers_at_once_deliver_each_reminder_once(cal, owner):
    for hours in range(1, 7):
        event = await event_in(cal, owner, timedelta(hours=hours))
        await cal.create_reminder(owner, event.id, minutes_before=hours * 60)
    other = DispatchDueReminders(cal.dispatch_reminders.uow, cal.clock, cal.dispatch_reminders.recurrence, cal.dispatch_reminders.notifiers,
                                 batch_size=2)
    reports = await asyncio.gather(cal.dispatch_reminders(), other(), other())
    assert sum(r.delivered for r in reports) == 6
    assert len((await cal.list_notifications(owner)).items) == 6


async def test_a_claim_left_by_a_crashed_dispatcher_is_retried_without_a_second_notification(cal, owner):
    event = await event_in(cal, owner, timedelta(minutes=10))
    await cal.create_reminder(owner, event.id, minutes_before=10)
    async with cal.uow() as uow:  # a dispatcher claims and delivers, then dies before recording it
        [claimed] = await uow.reminders.claim_due(cal.clock.now(), 10)
        await uow.commit()
    await cal.dispatch_reminders.notifiers["in_app"].deliver(ReminderMessage(
        reminder_id=claimed.id, owner_id=owner, event_id=event.id, channel=claimed.channel, title=event.title,
        location=None, occurrence_start=event.start_time, occurrence_end=event.end_time, time_zone="UTC",
        all_day=False, due_at=claimed.due_at))
    assert (await cal.dispatch_reminders()).delivered == 0
    cal.clock.advance(minutes=5)
    assert (await cal.dispatch_reminders()).delivered == 1
    assert len((await cal.list_notifications(owner)).items) == 1
    assert (await only_reminder(cal, owner, event)).status is ReminderStatus.SENT


async def test_moving_the_event_during_a_delivery_keeps_the_moved_reminder(cal, owner):
    event = await event_in(cal, owner, timedelta(minutes=10))
    await cal.create_reminder(owner, event.id, minutes_before=10, channel="webhook")
    later = event.start_time + timedelta(days=1)

    class MovesTheEvent:
        async def deliver(self, message):
            await cal.update_event(owner, event.id, start_time=later, end_time=later + timedelta(hours=1))

    cal.dispatch_reminders.notifiers["webhook"] = MovesTheEvent()
    await cal.dispatch_reminders()
    reminder = await only_reminder(cal, owner, event)
    assert (reminder.status, reminder.due_at) == (ReminderStatus.PENDING, later - timedelta(minutes=10))


async def test_a_snoozed_reminder_is_delivered_again_later(cal, owner):
    event = await event_in(cal, owner, timedelta(minutes=5))
    reminder = await cal.create_reminder(owner, event.id, minutes_before=5)
    await cal.dispatch_reminders()
    snoozed = await cal.snooze_reminder(owner, reminder.id, minutes=3)
    assert (snoozed.status, snoozed.due_at) == (ReminderStatus.PENDING, cal.clock.now() + timedelta(minutes=3))
    cal.clock.advance(minutes=3)
    assert (await cal.dispatch_reminders()).delivered == 1
    assert len((await cal.list_notifications(owner)).items) == 2


async def test_the_inbox_pages_newest_first_and_marks_read(cal, owner):
    for _ in range(3):
        event = await event_in(cal, owner, timedelta(minutes=1))
        await cal.create_reminder(owner, event.id, minutes_before=0)
        cal.clock.advance(minutes=1)
        assert (await cal.dispatch_reminders()).delivered == 1
    first = await cal.list_notifications(owner, limit=2)
    rest = await cal.list_notifications(owner, cursor=first.next_cursor)
    everything = first.items + rest.items
    assert [n.created_at.minute for n in everything] == [3, 2, 1]
    read = await cal.mark_notification_read(owner, everything[0].id)
    assert read.read_at == cal.clock.now()
    assert [n.id for n in (await cal.list_notifications(owner, unread_only=True)).items] == [n.id for n in everything[1:]]
