from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.shared.errors import InvalidValue

OSLO = ZoneInfo("Europe/Oslo")


def local(occurrence) -> tuple[str, str]:
    start = occurrence.start.astimezone(OSLO)
    return start.strftime("%Y-%m-%d %H:%M"), start.tzname()


async def weekly_standup(cal, owner, recurrence="RRULE:FREQ=WEEKLY;COUNT=4", **fields):
    values = dict(title="Standup", start_time=datetime(2026, 3, 16, 9, 0, tzinfo=OSLO),
                  end_time=datetime(2026, 3, 16, 9, 30, tzinfo=OSLO), time_zone="Europe/Oslo",
                  recurrence=recurrence)
    return await cal.create_event(owner, **values | fields)


async def test_a_weekly_oslo_event_stays_at_nine_local_across_the_dst_change(cal, owner):
    event = await weekly_standup(cal, owner)
    page = await cal.list_events(owner, window_from=datetime(2026, 3, 1, tzinfo=UTC),
                                 window_to=datetime(2026, 5, 1, tzinfo=UTC))

    assert [local(o) for o in page.items] == [
        ("2026-03-16 09:00", "CET"), ("2026-03-23 09:00", "CET"),
        ("2026-03-30 09:00", "CEST"), ("2026-04-06 09:00", "CEST"),
    ]
    assert [o.start.astimezone(UTC).hour for o in page.items] == [8, 8, 7, 7]
    assert all(o.end - o.start == timedelta(minutes=30) and o.series_id == event.id for o in page.items)


async def test_excluded_dates_and_a_local_until_date_bound_the_series(cal, owner):
    await weekly_standup(cal, owner, "RRULE:FREQ=WEEKLY;UNTIL=20260406\nEXDATE;TZID=Europe/Oslo:20260323T090000")
    page = await cal.list_events(owner, window_from=datetime(2026, 3, 1, tzinfo=UTC),
                                 window_to=datetime(2027, 1, 1, tzinfo=UTC))
    assert [local(o)[0] for o in page.items] == ["2026-03-16 09:00", "2026-03-30 09:00", "2026-04-06 09:00"]


async def test_an_occurrence_running_into_the_window_is_listed(cal, owner):
    await weekly_standup(cal, owner, "RRULE:FREQ=DAILY", end_time=datetime(2026, 3, 16, 11, 0, tzinfo=OSLO))
    page = await cal.list_events(owner, window_from=datetime(2026, 3, 20, 10, 0, tzinfo=OSLO),
                                 window_to=datetime(2026, 3, 21, 9, 0, tzinfo=OSLO))
    assert [local(o)[0] for o in page.items] == ["2026-03-20 09:00"]


async def test_an_endless_series_lists_upcoming_occurrences_page_by_page(cal, owner):
    await weekly_standup(cal, owner, "FREQ=DAILY")  # the RRULE: prefix is optional
    cal.clock.set(datetime(2026, 4, 1, 12, 0, tzinfo=UTC))
    first = await cal.list_events(owner, limit=3)
    second = await cal.list_events(owner, limit=3, cursor=first.next_cursor)
    days = [local(o)[0][:10] for o in first.items + second.items]
    assert days == ["2026-04-02", "2026-04-03", "2026-04-04", "2026-04-05", "2026-04-06", "2026-04-07"]
    assert second.next_cursor is not None


@pytest.mark.parametrize("rule", [
    "RRULE:FREQ=FORTNIGHTLY",
    "RRULE:COUNT=3",
    "RRULE:FREQ=WEEKLY;BYDAY=XX",
    "RRULE:FREQ=DAILY;INTERVAL=0",
    "RRULE:FREQ=DAILY;COUNT=3;UNTIL=20260401",
    "RRULE:FREQ=HOURLY",
    "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    "RRULE:FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31",
    "RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=TU",
    "RRULE:FREQ=WEEKLY;BYDAY=2MO",
    "RRULE:FREQ=DAILY;BYSETPOS=2",
    "RRULE:FREQ=DAILY;UNTIL=20250101",
    "RRULE:FREQ=DAILY\nRRULE:FREQ=WEEKLY",
    "RRULE:FREQ=DAILY\nEXDATE:2026-03-20",
    "RRULE:FREQ=DAILY\nEXDATE;TZID=Mars/Olympus:20260320T090000",
    "DTSTART:20260101T000000\nRRULE:FREQ=DAILY",
    "every monday",
])
async def test_a_bad_rule_is_refused_naming_the_recurrence_field_and_writes_nothing(cal, owner, rows, rule):
    with pytest.raises(InvalidValue) as error:
        await weekly_standup(cal, owner, rule)
    assert error.value.field == "recurrence"
    assert rows() == 0


@pytest.mark.parametrize(("rule", "first"), [
    ("RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2028-02-29"),
    ("RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=2", "2026-03-27"),
    ("RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=MO", "2026-03-16"),
])
async def test_sparse_but_possible_rules_are_accepted(cal, owner, rule, first):
    event = await weekly_standup(cal, owner, rule)
    page = await cal.list_events(owner, window_from=event.start_time, limit=1)
    assert local(page.items[0])[0][:10] == first
