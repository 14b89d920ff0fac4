from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.calendar.reminder import DuplicateReminder, ReminderStatus, TooManyReminders
from domain.shared.errors import InvalidValue

OSLO = ZoneInfo("Europe/Oslo")


async def event_in(cal, owner, delta, **fields):
    start = cal.clock.now() + delta
    return await cal.create_event(owner, title="Review", start_time=start, end_time=start + timedelta(hours=1),
                                  **fields)


async def test_a_reminder_is_due_its_offset_before_the_start(cal, owner):
    event = await event_in(cal, owner, timedelta(days=2))
    reminder = await cal.create_reminder(owner, event.id, minutes_before=90, channel="webhook")
    assert reminder.status is ReminderStatus.PENDING
    assert reminder.due_at == event.start_time - timedelta(minutes=90)
    assert await cal.list_event_reminders(owner, event.id) == [reminder]


async def test_a_reminder_already_past_at_creation_is_skipped_not_fired(cal, owner):
    event = await event_in(cal, owner, timedelta(minutes=10))
    reminder = await cal.create_reminder(owner, event.id, minutes_before=15)
    assert reminder.status is ReminderStatus.SKIPPED
    cal.clock.advance(minutes=10)
    assert (await cal.dispatch_reminders()).delivered == 0
    assert (await cal.list_notifications(owner)).items == []


async def test_a_series_has_only_its_next_occurrence_reminder_pending(cal, owner):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=OSLO)  # the clock says 09:00 Oslo: this one is starting now
    event = await cal.create_event(owner, title="Standup", start_time=start, end_time=start + timedelta(minutes=15),
                                   time_zone="Europe/Oslo", recurrence="RRULE:FREQ=WEEKLY;BYDAY=MO")
    reminder = await cal.create_reminder(owner, event.id, minutes_before=10)
    assert reminder.status is ReminderStatus.PENDING
    assert reminder.occurrence_start == datetime(2026, 3, 9, 9, 0, tzinfo=OSLO)
    assert reminder.due_at == datetime(2026, 3, 9, 8, 50, tzinfo=OSLO)


async def test_moving_the_event_moves_its_reminders_and_other_edits_do_not(cal, owner):
    event = await event_in(cal, owner, timedelta(days=1))
    reminder = await cal.create_reminder(owner, event.id, minutes_before=30)
    await cal.update_event(owner, event.id, title="Design review")
    assert await cal.list_event_reminders(owner, event.id) == [reminder]

    later = event.start_time + timedelta(days=3)
    await cal.update_event(owner, event.id, start_time=later, end_time=later + timedelta(hours=1))
    [moved] = await cal.list_event_reminders(owner, event.id)
    assert (moved.status, moved.due_at) == (ReminderStatus.PENDING, later - timedelta(minutes=30))

    past = cal.clock.now() - timedelta(hours=1)
    await cal.update_event(owner, event.id, start_time=past, end_time=past + timedelta(hours=1))
    assert [r.status for r in await cal.list_event_reminders(owner, event.id)] == [ReminderStatus.SKIPPED]


async def test_deleting_the_event_cancels_its_reminders_and_restoring_rearms_them(cal, owner):
    event = await event_in(cal, owner, timedelta(days=1))
    reminder = await cal.create_reminder(owner, event.id, minutes_before=5)
    await cal.delete_event(owner, event.id)
    assert (await cal.list_reminders(owner)).items == []
    cal.clock.advance(days=2)
    assert (await cal.dispatch_reminders()).delivered == 0

    cal.clock.set(event.start_time - timedelta(hours=1))
    await cal.restore_event(owner, event.id)
    assert await cal.list_event_reminders(owner, event.id) == [
        reminder.aim_at(event.start_time, cal.clock.now())]


async def test_an_event_has_at_most_five_reminders_and_no_duplicates(cal, owner, rows):
    event = await event_in(cal, owner, timedelta(days=30))
    for minutes in range(5):
        await cal.create_reminder(owner, event.id, minutes_before=minutes)
    before = rows()
    with pytest.raises(TooManyReminders):
        await cal.create_reminder(owner, event.id, minutes_before=60)
    await cal.delete_reminder(owner, (await cal.list_event_reminders(owner, event.id))[0].id)
    with pytest.raises(DuplicateReminder):
        await cal.create_reminder(owner, event.id, minutes_before=1)
    assert rows() == before - 1


@pytest.mark.parametrize(("options", "field"), [
    ({"minutes_before": -1}, "minutes_before"),
    ({"minutes_before": 40_321}, "minutes_before"),
    ({"minutes_before": "10"}, "minutes_before"),
    ({"minutes_before": 10, "channel": "sms"}, "channel"),
])
async def test_bad_reminder_input_names_the_field_and_writes_nothing(cal, owner, rows, options, field):
    event = await event_in(cal, owner, timedelta(days=1))
    with pytest.raises(InvalidValue) as error:
        await cal.create_reminder(owner, event.id, **options)
    assert error.value.field == field
    assert rows() == 1


async def test_the_reminder_list_filters_by_status_and_due_time(cal, owner):
    soon, later = await event_in(cal, owner, timedelta(hours=2)), await event_in(cal, owner, timedelta(days=3))
    first = await cal.create_reminder(owner, soon.id, minutes_before=10)
    second = await cal.create_reminder(owner, later.id, minutes_before=10)
    await cal.create_reminder(owner, soon.id, minutes_before=600)  # skipped
    due_today = await cal.list_reminders(owner, status="pending", due_before=cal.clock.now() + timedelta(days=1))
    assert due_today.items == [first]
    page = await cal.list_reminders(owner, status="pending", limit=1)
    assert page.items == [first]
    assert (await cal.list_reminders(owner, status="pending", cursor=page.next_cursor)).items == [second]
    with pytest.raises(InvalidValue):
        await cal.list_reminders(owner, status="late")
