from datetime import timedelta

import pytest

from domain.shared.errors import NotFound


@pytest.fixture
async def owned(cal, owner):
    """An event with a reminder, a note and a delivered notification, all the owner's."""
    start = cal.clock.now() + timedelta(minutes=30)
    event = await cal.create_event(owner, title="Private", start_time=start, end_time=start + timedelta(hours=1))
    reminder = await cal.create_reminder(owner, event.id, minutes_before=30)
    await cal.create_reminder(owner, event.id, minutes_before=10)
    note = await cal.create_note(owner, event.id, body="secret")
    await cal.dispatch_reminders()
    [notification] = (await cal.list_notifications(owner)).items
    return event, reminder, note, notification


def calls(cal, event, reminder, note, notification):
    yield "get_event", cal.get_event(event.id)
    yield "update_event", cal.update_event(event.id, title="Mine now")
    yield "delete_event", cal.delete_event(event.id)
    yield "restore_event", cal.restore_event(event.id)
    yield "create_reminder", cal.create_reminder(event.id, minutes_before=5)
    yield "event_reminders", cal.list_event_reminders(event.id)
    yield "delete_reminder", cal.delete_reminder(reminder.id)
    yield "snooze", cal.snooze_reminder(reminder.id, minutes=5)
    yield "create_note", cal.create_note(event.id, body="hi")
    yield "list_notes", cal.list_notes(event.id)
    yield "update_note", cal.update_note(note.id, body="edited")
    yield "delete_note", cal.delete_note(note.id)
    yield "mark_read", cal.mark_notification_read(notification.id)


class AsStranger:
    """The use cases with the stranger's id put first, as an entrypoint would."""

    def __init__(self, cal, stranger):
        self._cal, self._stranger = cal, stranger

    def __getattr__(self, name):
        use_case = getattr(self._cal, name)
        return lambda *args, **kwargs: use_case(self._stranger, *args, **kwargs)


async def test_another_owner_gets_not_found_for_every_id_and_changes_nothing(cal, owner, stranger, owned, rows):
    before = rows()
    for name, call in calls(AsStranger(cal, stranger), *owned):
        with pytest.raises(NotFound):
            await call
            pytest.fail(f"{name} let a stranger in")
    event = owned[0]
    assert rows() == before
    assert await cal.get_event(owner, event.id) == event
    assert (await cal.list_notifications(owner)).items[0].read_at is None


async def test_another_owner_lists_nothing_of_someone_elses(cal, stranger, owned):
    event = owned[0]
    window = dict(window_from=event.start_time - timedelta(days=1), window_to=event.end_time + timedelta(days=1))
    assert (await cal.list_events(stranger, **window)).items == []
    assert (await cal.list_reminders(stranger)).items == []
    assert (await cal.list_notifications(stranger)).items == []
