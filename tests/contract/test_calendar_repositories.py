"""The calendar repositories' contract, on memory and on PostgreSQL: filters, order, keysets, constraints, claims."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from application.calendar.ports import ReminderFilter
from domain.calendar.event import Event
from domain.calendar.feed import CalendarFeed
from domain.calendar.note import Note
from domain.calendar.notification import Notification
from domain.calendar.occurrence import EventQuery
from domain.calendar.reminder import CLAIM_LEASE, DuplicateReminder, Reminder, ReminderStatus
from domain.calendar.webhook import CalendarWebhook
from tests.factories import account, new_id

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MARCH = EventQuery(datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC))


def event(owner_id, start, hours=1.0, title="Standup", **fields) -> Event:
    return Event.create(id=new_id(), owner_id=owner_id, title=title, start_time=start,
                        end_time=start + timedelta(hours=hours), time_zone="Europe/Oslo", now=T0, **fields)


def reminder(owner_id, event_id, due: datetime | None, minutes=10, channel="in_app") -> Reminder:
    occurrence = None if due is None else due + timedelta(minutes=minutes)
    return Reminder.create(id=new_id(), owner_id=owner_id, event_id=event_id, minutes_before=minutes,
                           channel=channel, occurrence_start=occurrence, now=T0)


@pytest.fixture
async def owners(uow_factory):
    ada, grace = account(), account("grace@example.com", "grace")
    async with uow_factory() as uow:
        await uow.accounts.add(ada)
        await uow.accounts.add(grace)
        await uow.commit()
    return ada.id, grace.id


async def store(uow_factory, *rows) -> None:
    async with uow_factory() as uow:
        for row in rows:
            repository = {Event: uow.events, Reminder: uow.reminders, Note: uow.notes}[type(row)]
            await repository.add(row)
        await uow.commit()


async def test_many_events_and_reminders_are_read_at_once_and_only_for_their_owner(uow_factory, owners):
    ada, grace = owners
    mine, theirs = event(ada, T0), event(grace, T0)
    note_to_self = reminder(ada, mine.id, T0)
    await store(uow_factory, mine, theirs, note_to_self)
    async with uow_factory() as uow:
        assert await uow.events.get_many({(ada, mine.id), (ada, theirs.id), (ada, new_id())}) == {mine.id: mine}
        assert await uow.events.get_many(set()) == {}
        assert await uow.reminders.get_many({(ada, note_to_self.id)}) == {note_to_self.id: note_to_self}
        assert await uow.reminders.get_many({(grace, note_to_self.id)}) == {}


async def test_events_are_read_back_as_written_and_only_by_their_owner(uow_factory, owners):
    ada, grace = owners
    written = event(ada, datetime(2026, 3, 10, 9, tzinfo=UTC), description="room 4", location="Oslo",
                    recurrence="RRULE:FREQ=WEEKLY")
    written = replace(written, recurrence_until=datetime(2026, 6, 1, tzinfo=UTC))
    await store(uow_factory, written)
    async with uow_factory() as uow:
        assert await uow.events.get(ada, written.id) == written
        assert await uow.events.get(ada, written.id, for_update=True) == written
        assert await uow.events.get(grace, written.id) is None
        moved = written.edit(now=T0 + timedelta(hours=1), title="Retro").delete(T0 + timedelta(hours=2))
        await uow.events.save(moved)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.events.get(ada, written.id) == moved


async def test_single_page_lists_live_one_off_events_meeting_the_window_by_start(uow_factory, owners):
    ada, grace = owners
    before = event(ada, datetime(2026, 2, 27, 9, tzinfo=UTC), title="ended before")
    across = event(ada, datetime(2026, 2, 28, 22, tzinfo=UTC), hours=30, title="runs across the start")
    first = event(ada, datetime(2026, 3, 1, tzinfo=UTC), hours=0, title="at the start, zero length")
    same_start = [event(ada, datetime(2026, 3, 5, 9, tzinfo=UTC), title=f"twin {n}") for n in range(2)]
    last = event(ada, datetime(2026, 3, 31, 23, 59, tzinfo=UTC), title="last minute")
    after = event(ada, datetime(2026, 4, 1, tzinfo=UTC), title="after")
    deleted = event(ada, datetime(2026, 3, 6, tzinfo=UTC)).delete(T0)
    series = event(ada, datetime(2026, 3, 7, tzinfo=UTC), recurrence="RRULE:FREQ=DAILY")
    foreign = event(grace, datetime(2026, 3, 8, tzinfo=UTC))
    await store(uow_factory, last, after, *same_start, deleted, series, foreign, before, across, first)
    expected = [across, first, *sorted(same_start, key=lambda e: e.id), last]
    async with uow_factory() as uow:
        assert await uow.events.single_page(ada, MARCH, after=None, limit=10) == expected
        page = await uow.events.single_page(ada, MARCH, after=None, limit=2)
        assert page == expected[:2]
        rest = await uow.events.single_page(ada, MARCH, after=(page[-1].start_time, page[-1].id), limit=10)
        assert rest == expected[2:]
        upcoming = EventQuery(datetime(2026, 3, 5, 9, tzinfo=UTC))
        assert await uow.events.single_page(ada, upcoming, after=None, limit=10) == [
            *sorted(same_start, key=lambda e: e.id), last, after]


async def test_text_matches_title_description_or_location_case_insensitively_and_literally(uow_factory, owners):
    ada, _ = owners
    start = datetime(2026, 3, 3, 9, tzinfo=UTC)
    by_title = event(ada, start, title="Dentist")
    by_place = event(ada, start, title="Check-up", location="DENTAL clinic")
    percent = event(ada, start, title="100% done")
    underscore = event(ada, start, title="a_b")
    other = event(ada, start, title="Lunch", recurrence="RRULE:FREQ=DAILY", description="near the dentist")
    await store(uow_factory, by_title, by_place, percent, underscore, other)
    async with uow_factory() as uow:
        found = await uow.events.single_page(ada, replace(MARCH, text="dent"), after=None, limit=10)
        assert {e.id for e in found} == {by_title.id, by_place.id}
        assert await uow.events.series(ada, replace(MARCH, text="DENTIST")) == [other]
        assert [e.id for e in await uow.events.single_page(ada, replace(MARCH, text="%"), after=None, limit=9)] == [
            percent.id]
        assert [e.id for e in await uow.events.single_page(ada, replace(MARCH, text="_"), after=None, limit=9)] == [
            underscore.id]


async def test_series_are_the_live_recurring_events_that_may_occur_in_the_window(uow_factory, owners):
    ada, grace = owners
    endless = event(ada, datetime(2026, 1, 5, 9, tzinfo=UTC), recurrence="RRULE:FREQ=WEEKLY")
    ended = replace(event(ada, datetime(2026, 1, 5, 9, tzinfo=UTC), recurrence="RRULE:FREQ=DAILY;COUNT=3"),
                    recurrence_until=datetime(2026, 1, 7, 10, tzinfo=UTC))
    ends_inside = replace(event(ada, datetime(2026, 2, 1, tzinfo=UTC), recurrence="RRULE:FREQ=DAILY"),
                          recurrence_until=datetime(2026, 3, 1, tzinfo=UTC))
    later = event(ada, datetime(2026, 4, 1, tzinfo=UTC), recurrence="RRULE:FREQ=DAILY")
    deleted = event(ada, datetime(2026, 1, 5, tzinfo=UTC), recurrence="RRULE:FREQ=DAILY").delete(T0)
    foreign = event(grace, datetime(2026, 1, 5, tzinfo=UTC), recurrence="RRULE:FREQ=DAILY")
    await store(uow_factory, endless, ended, ends_inside, later, deleted, foreign)
    async with uow_factory() as uow:
        assert await uow.events.series(ada, MARCH) == sorted([endless, ends_inside], key=lambda e: e.id)
        assert await uow.events.series(ada, EventQuery(MARCH.window_from)) == sorted(
            [endless, ends_inside, later], key=lambda e: e.id)


async def test_purge_removes_long_deleted_events_of_every_owner_with_their_reminders_and_notes(uow_factory, owners):
    ada, grace = owners
    old = [event(owner, T0).delete(T0 - timedelta(days=40)) for owner in (ada, grace)]
    recent = event(ada, T0).delete(T0 - timedelta(days=10))
    live = event(ada, T0)
    await store(uow_factory, *old, recent, live)
    doomed_reminder, doomed_note = reminder(ada, old[0].id, T0), Note.create(
        id=new_id(), owner_id=ada, event_id=old[0].id, body="gone", now=T0)
    notification = Notification(id=new_id(), owner_id=ada, reminder_id=doomed_reminder.id, event_id=old[0].id,
                                title="t", body="b", occurrence_start=None, due_at=T0, created_at=T0)
    await store(uow_factory, doomed_reminder, doomed_note)
    async with uow_factory() as uow:
        await uow.notifications.add(notification)
        assert await uow.events.purge_deleted(T0 - timedelta(days=30), 1) == 1
        assert await uow.events.purge_deleted(T0 - timedelta(days=30), 10) == 1
        assert await uow.events.purge_deleted(T0 - timedelta(days=30), 10) == 0
        await uow.commit()
    async with uow_factory() as uow:
        assert [await uow.events.get(e.owner_id, e.id) for e in old] == [None, None]
        assert await uow.events.get(ada, recent.id) == recent and await uow.events.get(ada, live.id) == live
        assert await uow.reminders.get(ada, doomed_reminder.id) is None
        assert await uow.notes.get(ada, doomed_note.id) is None
        assert await uow.notifications.get(ada, notification.id) == notification  # the inbox keeps it


async def test_reminders_round_trip_are_unique_per_offset_and_channel_and_owned(uow_factory, owners):
    ada, grace = owners
    standup = event(ada, T0 + timedelta(days=1))
    await store(uow_factory, standup)
    first = reminder(ada, standup.id, T0 + timedelta(hours=20))
    second = reminder(ada, standup.id, T0 + timedelta(hours=20), channel="webhook")
    await store(uow_factory, first, second)
    with pytest.raises(DuplicateReminder):
        await store(uow_factory, reminder(ada, standup.id, T0, minutes=first.minutes_before))
    async with uow_factory() as uow:
        assert await uow.reminders.get(ada, first.id) == first
        assert await uow.reminders.get(grace, first.id) is None
        assert await uow.reminders.for_event(ada, standup.id) == [first, second]
        assert await uow.reminders.for_event(grace, standup.id) == []
        with pytest.raises(DuplicateReminder):
            await uow.reminders.save(replace(second, channel=first.channel))
    async with uow_factory() as uow:
        assert not await uow.reminders.remove(grace, first.id)
        sent = replace(first.claim(T0).delivered(T0, None), last_error="was slow")
        await uow.reminders.save(sent)
        assert await uow.reminders.remove(ada, second.id)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.reminders.for_event(ada, standup.id) == [sent]


async def test_reminder_pages_filter_by_status_and_due_time_and_hide_deleted_events(uow_factory, owners):
    ada, grace = owners
    live, gone = event(ada, T0 + timedelta(days=2)), event(ada, T0 + timedelta(days=2)).delete(T0)
    await store(uow_factory, live, gone, event(grace, T0))
    soon = reminder(ada, live.id, T0 + timedelta(hours=1), minutes=5)
    later = reminder(ada, live.id, T0 + timedelta(days=1), minutes=6)
    skipped = reminder(ada, live.id, T0 - timedelta(hours=1), minutes=7)
    hidden = reminder(ada, gone.id, T0 + timedelta(hours=1))
    await store(uow_factory, soon, later, skipped, hidden)
    async with uow_factory() as uow:
        page = uow.reminders.page
        assert await page(ada, ReminderFilter(), after=None, limit=10) == [soon, later, skipped]
        assert await page(ada, ReminderFilter(), after=soon.id, limit=1) == [later]
        assert await page(ada, ReminderFilter(ReminderStatus.SKIPPED), after=None, limit=10) == [skipped]
        assert await page(ada, ReminderFilter(ReminderStatus.PENDING, T0 + timedelta(hours=2)),
                          after=None, limit=10) == [soon]
        assert await page(grace, ReminderFilter(), after=None, limit=10) == []


async def test_claiming_takes_due_pending_reminders_oldest_first_and_hides_them_for_the_lease(uow_factory, owners):
    ada, grace = owners
    events = [event(owner, T0 + timedelta(days=1)) for owner in (ada, grace, ada)]
    await store(uow_factory, *events)
    early = reminder(grace, events[1].id, T0 + timedelta(minutes=5))
    due = reminder(ada, events[0].id, T0 + timedelta(minutes=10))
    not_yet = reminder(ada, events[2].id, T0 + timedelta(minutes=11))
    await store(uow_factory, due, not_yet, early)
    now = T0 + timedelta(minutes=10)
    async with uow_factory() as uow:
        claimed = await uow.reminders.claim_due(now, 10)
        await uow.commit()
    assert claimed == [early.claim(now), due.claim(now)]
    assert all(r.attempts == 1 and r.next_attempt_at == now + CLAIM_LEASE for r in claimed)
    async with uow_factory() as uow:
        assert await uow.reminders.get(ada, due.id) == claimed[1]
        assert await uow.reminders.claim_due(now + CLAIM_LEASE - timedelta(seconds=1), 10) == [not_yet.claim(
            now + CLAIM_LEASE - timedelta(seconds=1))]
        assert await uow.reminders.claim_due(now, 10) == []
    async with uow_factory() as uow:
        assert [r.id for r in await uow.reminders.claim_due(now + CLAIM_LEASE, 1)] == [not_yet.id]
        sent = (await uow.reminders.get(ada, due.id)).delivered(now, None)
        await uow.reminders.save(sent)
        await uow.commit()
    async with uow_factory() as uow:
        assert [r.id for r in await uow.reminders.claim_due(now + timedelta(days=1), 10)] == [early.id, not_yet.id]


async def test_notes_page_by_event_in_creation_order(uow_factory, owners):
    ada, grace = owners
    standup, retro = event(ada, T0), event(ada, T0)
    await store(uow_factory, standup, retro)
    made = [Note.create(id=new_id(), owner_id=ada, event_id=standup.id, body=f"note {n}", now=T0) for n in range(3)]
    other = Note.create(id=new_id(), owner_id=ada, event_id=retro.id, body="other", now=T0)
    await store(uow_factory, *made, other)
    async with uow_factory() as uow:
        assert await uow.notes.page(ada, standup.id, after=None, limit=10) == made
        assert await uow.notes.page(ada, standup.id, after=made[0].id, limit=1) == [made[1]]
        assert await uow.notes.page(grace, standup.id, after=None, limit=10) == []
        assert await uow.notes.get(grace, other.id) is None
        edited = made[0].edit("changed", T0 + timedelta(minutes=1))
        await uow.notes.save(edited)
        assert not await uow.notes.remove(grace, made[1].id)
        assert await uow.notes.remove(ada, made[1].id)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.notes.page(ada, standup.id, after=None, limit=10) == [edited, made[2]]


async def test_the_inbox_holds_one_notification_per_delivery_newest_first(uow_factory, owners):
    ada, grace = owners

    def notification(owner_id, reminder_id, due_at):
        return Notification(id=new_id(), owner_id=owner_id, reminder_id=reminder_id, event_id=new_id(),
                            title="Standup", body="Standup, 09:00", occurrence_start=due_at, due_at=due_at,
                            created_at=T0)

    reminder_id = new_id()
    first, second = notification(ada, reminder_id, T0), notification(ada, reminder_id, T0 + timedelta(days=7))
    async with uow_factory() as uow:
        assert await uow.notifications.add(first) and await uow.notifications.add(second)
        assert not await uow.notifications.add(notification(ada, reminder_id, T0))
        assert await uow.notifications.add(notification(grace, new_id(), T0))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.notifications.page(ada, unread_only=False, before=None, limit=10) == [second, first]
        assert await uow.notifications.page(ada, unread_only=False, before=second.id, limit=10) == [first]
        await uow.notifications.save(second.mark_read(T0))
        assert await uow.notifications.get(grace, first.id) is None
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.notifications.page(ada, unread_only=True, before=None, limit=10) == [first]


async def test_one_feed_per_owner_found_by_token_hash_and_replaced_on_rotation(uow_factory, owners):
    ada, grace = owners
    feed = CalendarFeed(id=new_id(), owner_id=ada, token_hash="hash-1", created_at=T0)
    async with uow_factory() as uow:
        await uow.calendar_feeds.save(feed)
        await uow.commit()
    rotated = replace(feed, token_hash="hash-2", created_at=T0 + timedelta(days=1))
    async with uow_factory() as uow:
        assert await uow.calendar_feeds.get(ada) == feed and await uow.calendar_feeds.get(grace) is None
        await uow.calendar_feeds.save(rotated)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.calendar_feeds.get_by_token_hash("hash-1") is None
        assert await uow.calendar_feeds.get_by_token_hash("hash-2") == rotated
        assert not await uow.calendar_feeds.remove(grace)
        assert await uow.calendar_feeds.remove(ada)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.calendar_feeds.get(ada) is None


async def test_one_webhook_per_owner_replaced_and_removed(uow_factory, owners):
    ada, grace = owners
    hook = CalendarWebhook(ada, "https://hooks.example.com/a", "whsec_1", T0)
    async with uow_factory() as uow:
        await uow.calendar_webhooks.save(hook)
        await uow.calendar_webhooks.save(replace(hook, url="https://hooks.example.com/b", secret="whsec_2"))
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.calendar_webhooks.get(ada) == replace(hook, url="https://hooks.example.com/b",
                                                                secret="whsec_2")
        assert await uow.calendar_webhooks.get(grace) is None
        assert not await uow.calendar_webhooks.remove(grace) and await uow.calendar_webhooks.remove(ada)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.calendar_webhooks.get(ada) is None
