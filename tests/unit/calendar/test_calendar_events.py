from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.calendar.event import EventNotFound
from domain.shared.errors import InvalidValue
from tests.factories import account

NINE = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
SPRING = (datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC))


async def event_at(cal, owner, start=NINE, title="Dentist", **fields):
    return await cal.create_event(owner, title=title, start_time=start, end_time=start + timedelta(hours=1),
                                  **fields)


async def listed(cal, owner, window=SPRING, **options):
    page = await cal.list_events(owner, window_from=window[0], window_to=window[1], **options)
    return [o.event.title for o in page.items]


async def test_an_event_keeps_its_instants_in_utc_and_defaults_to_the_account_zone(cal, owner, stranger):
    async with cal.uow() as uow:
        await uow.accounts.add(account(id=owner, time_zone="America/New_York"))
        await uow.commit()
    event = await cal.create_event(
        owner, title="  Dentist ", start_time=datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Oslo")),
        end_time=datetime(2026, 3, 10, 11, 0, tzinfo=ZoneInfo("Europe/Oslo")), location="Main St 1",
    )
    assert (event.title, event.time_zone) == ("Dentist", "America/New_York")
    assert event.start_time == NINE and event.start_time.tzinfo is UTC
    assert await cal.get_event(owner, event.id) == event
    assert (await event_at(cal, stranger)).time_zone == "UTC"


async def test_an_all_day_event_spans_whole_local_days(cal, owner):
    event = await cal.create_event(owner, title="Trip", start_time=date(2026, 3, 28), end_time=date(2026, 3, 29),
                                   all_day=True, time_zone="Europe/Oslo")
    assert event.start_time == datetime(2026, 3, 27, 23, 0, tzinfo=UTC)
    assert event.end_time == datetime(2026, 3, 29, 22, 0, tzinfo=UTC)  # summer time began on the 29th
    renamed = await cal.update_event(owner, event.id, title="Holiday")
    assert (renamed.start_time, renamed.end_time) == (event.start_time, event.end_time)


async def test_the_list_is_ordered_by_start_paged_by_cursor_and_filtered_by_text(cal, owner):
    for day, title in [(12, "Gym"), (10, "Dentist"), (11, "Dentist follow-up"), (11, "Gym")]:
        await event_at(cal, owner, NINE.replace(day=day), title=title)
    await event_at(cal, owner, NINE.replace(month=7), title="Summer gym")

    first = await cal.list_events(owner, window_from=SPRING[0], window_to=SPRING[1], limit=3)
    rest = await cal.list_events(owner, window_from=SPRING[0], window_to=SPRING[1], cursor=first.next_cursor)
    titles = [o.event.title for o in first.items + rest.items]
    assert titles == ["Dentist", "Dentist follow-up", "Gym", "Gym"]  # equal starts: creation order
    assert rest.next_cursor is None
    assert await listed(cal, owner, text="DENTIST") == ["Dentist", "Dentist follow-up"]


async def test_without_a_window_the_list_shows_upcoming_events(cal, owner):
    await event_at(cal, owner, cal.clock.now() - timedelta(days=1), title="Yesterday")
    await event_at(cal, owner, cal.clock.now() + timedelta(days=1), title="Tomorrow")
    page = await cal.list_events(owner)
    assert [o.event.title for o in page.items] == ["Tomorrow"]


async def test_editing_checks_every_rule_again_and_none_clears_optional_fields(cal, owner):
    event = await event_at(cal, owner, location="Room 1")
    moved = await cal.update_event(owner, event.id, start_time=NINE + timedelta(days=1),
                                   end_time=NINE + timedelta(days=1, hours=2), location=None)
    assert (moved.start_time, moved.location, moved.created_at) == (NINE + timedelta(days=1), None, event.created_at)
    with pytest.raises(InvalidValue) as error:
        await cal.update_event(owner, event.id, end_time=NINE)
    assert error.value.field == "end_time"
    assert await cal.get_event(owner, event.id) == moved


async def test_deleted_events_vanish_and_come_back_within_thirty_days(cal, owner):
    event = await event_at(cal, owner)
    await cal.delete_event(owner, event.id)
    assert await listed(cal, owner) == []
    with pytest.raises(EventNotFound):
        await cal.get_event(owner, event.id)
    cal.clock.advance(days=29)
    assert (await cal.restore_event(owner, event.id)).deleted_at is None
    assert await listed(cal, owner) == ["Dentist"]


async def test_after_thirty_days_an_event_cannot_be_restored_and_the_purge_removes_it(cal, owner, rows):
    kept, gone = await event_at(cal, owner, title="Kept"), await event_at(cal, owner, title="Gone")
    await cal.create_reminder(owner, gone.id, minutes_before=10)
    await cal.create_note(owner, gone.id, body="bring the x-rays")
    await cal.delete_event(owner, gone.id)
    cal.clock.advance(days=30)
    assert await cal.purge_deleted_events() == 0
    cal.clock.advance(seconds=1)
    with pytest.raises(EventNotFound):
        await cal.restore_event(owner, gone.id)
    assert await cal.purge_deleted_events(batch_size=1) == 1
    assert rows() == 1 and await cal.get_event(owner, kept.id) == kept
    with pytest.raises(EventNotFound):
        await cal.restore_event(owner, gone.id)


@pytest.mark.parametrize(("fields", "field"), [
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"time_zone": "localtime"}, "time_zone"),
    ({"end_time": NINE - timedelta(minutes=1)}, "end_time"),
    ({"start_time": NINE.replace(tzinfo=None)}, "start_time"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"description": "x" * 10_001}, "description"),
    ({"all_day": True}, "start_time"),
    ({"recurrence": "RRULE:FREQ=SOMETIMES"}, "recurrence"),
])
async def test_bad_input_names_the_field_and_writes_nothing(cal, owner, rows, fields, field):
    values = {"title": "Dentist", "start_time": NINE, "end_time": NINE + timedelta(hours=1)} | fields
    with pytest.raises(InvalidValue) as error:
        await cal.create_event(owner, **values)
    assert error.value.field == field
    assert rows() == 0


@pytest.mark.parametrize(("options", "field"), [
    ({"window_from": NINE, "window_to": NINE}, "to"),
    ({"window_from": NINE.replace(tzinfo=None)}, "from"),
    ({"cursor": "not-a-cursor"}, "cursor"),
    ({"limit": 0}, "limit"),
])
async def test_bad_list_options_name_the_field(cal, owner, options, field):
    with pytest.raises(InvalidValue) as error:
        await cal.list_events(owner, **options)
    assert error.value.field == field
