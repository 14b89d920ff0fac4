"""The calendar over HTTP on both storages: DST, clock-driven reminders, soft delete, feed, import, isolation."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.api.calendar_support import (
    EVENTS, FEED, ICS, IMPORT, NOTIFICATIONS, REMINDERS, WEBHOOK, create_event, create_reminder, dispatch,
    field_errors, instant, log_in, sign_up,
)

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # the settable clock's start


async def test_a_weekly_oslo_event_stays_at_nine_local_across_the_dst_change(api):
    ada = await sign_up(api, time_zone="Europe/Oslo")
    series = await create_event(api, ada, datetime.fromisoformat("2026-03-16T09:00:00+01:00"), minutes=30,
                                title="Standup", recurrence="RRULE:FREQ=WEEKLY\nEXDATE:20260406T070000Z")
    assert series["time_zone"] == "Europe/Oslo"  # the account's
    assert series["start_time"] == "2026-03-16T09:00:00+01:00"
    once = await create_event(api, ada, datetime(2026, 3, 30, 12, tzinfo=UTC), title="Lunch", time_zone="UTC")

    listed = await api.get(EVENTS, headers=ada, params={"from": "2026-03-16T00:00:00Z", "to": "2026-04-14T00:00:00Z"})
    assert listed.status_code == 200, listed.text
    items = listed.json()["items"]
    assert [(i["title"], i["start_time"], i["end_time"]) for i in items] == [
        ("Standup", "2026-03-16T09:00:00+01:00", "2026-03-16T09:30:00+01:00"),
        ("Standup", "2026-03-23T09:00:00+01:00", "2026-03-23T09:30:00+01:00"),
        ("Standup", "2026-03-30T09:00:00+02:00", "2026-03-30T09:30:00+02:00"),  # summer time, still 09:00
        ("Lunch", "2026-03-30T12:00:00Z", "2026-03-30T13:00:00Z"),
        ("Standup", "2026-04-13T09:00:00+02:00", "2026-04-13T09:30:00+02:00"),  # 04-06 is excluded
    ]
    assert {i["series_id"] for i in items if i["title"] == "Standup"} == {series["id"]}
    assert [i["series_id"] for i in items if i["title"] == "Lunch"] == [None]
    assert [i["event_id"] for i in items if i["title"] == "Lunch"] == [once["id"]]

    first = await api.get(EVENTS, headers=ada, params={"from": "2026-03-16T00:00:00Z", "limit": 2})
    second = await api.get(EVENTS, headers=ada, params={"from": "2026-03-16T00:00:00Z", "limit": 2,
                                                         "cursor": first.json()["next_cursor"]})
    assert [i["start_time"] for i in first.json()["items"] + second.json()["items"]] == [
        i["start_time"] for i in items[:4]]
    found = await api.get(EVENTS, headers=ada, params={"from": "2026-03-16T00:00:00Z", "q": "LUN"})
    assert [i["title"] for i in found.json()["items"]] == ["Lunch"]


async def test_without_a_window_the_list_shows_upcoming_events(api, clock):
    ada = await sign_up(api)
    await create_event(api, ada, NOW - timedelta(days=1), title="Yesterday")
    await create_event(api, ada, NOW + timedelta(days=1), title="Tomorrow")
    await create_event(api, ada, NOW - timedelta(minutes=30), title="Running now")
    listed = await api.get(EVENTS, headers=ada)
    assert [i["title"] for i in listed.json()["items"]] == ["Running now", "Tomorrow"]


async def test_an_all_day_event_takes_dates_and_spans_whole_local_days(api):
    ada = await sign_up(api, time_zone="Europe/Oslo")
    created = await api.post(EVENTS, headers=ada, json={
        "title": "Trip", "start_time": "2026-03-28", "end_time": "2026-03-29", "all_day": True})
    assert created.status_code == 201, created.text
    trip = created.json()
    assert (trip["start_date"], trip["end_date"]) == ("2026-03-28", "2026-03-29")
    assert (trip["start_time"], trip["end_time"]) == ("2026-03-28T00:00:00+01:00", "2026-03-30T00:00:00+02:00")


async def test_a_reminder_is_due_before_the_event_and_delivered_to_the_inbox_once(api, container, clock):
    ada = await sign_up(api)
    event = await create_event(api, ada, NOW + timedelta(hours=1), location="Room 4")
    reminder = await create_reminder(api, ada, event["id"], minutes_before=15)
    assert (reminder["status"], instant(reminder["due_at"])) == ("pending", NOW + timedelta(minutes=45))
    late = await create_reminder(api, ada, event["id"], minutes_before=90)
    assert late["status"] == "skipped"  # its time had passed: never fired late

    due = await api.get(REMINDERS, headers=ada, params={"status": "pending", "due_before": "2026-01-05T10:00:00Z"})
    assert [r["id"] for r in due.json()["items"]] == [reminder["id"]]

    clock.advance(minutes=44, seconds=59)
    assert (await dispatch(container)).delivered == 0
    ada = await log_in(api)
    assert (await api.get(NOTIFICATIONS, headers=ada)).json()["items"] == []
    clock.advance(seconds=1)
    assert (await dispatch(container)).delivered == 1
    assert (await dispatch(container)).delivered == 0

    [notification] = (await api.get(NOTIFICATIONS, headers=ada)).json()["items"]
    assert notification["event_id"] == event["id"] and notification["read_at"] is None
    assert notification["body"] == "Review, 2026-01-05 10:00 (UTC) at Room 4"
    sent = (await api.get(f"{EVENTS}/{event['id']}/reminders", headers=ada)).json()
    assert [(r["status"], r["attempts"]) for r in sent] == [("sent", 1), ("skipped", 0)]

    read = await api.post(f"{NOTIFICATIONS}/{notification['id']}/read", headers=ada)
    assert instant(read.json()["read_at"]) == clock.now()
    assert (await api.get(NOTIFICATIONS, headers=ada, params={"unread": "true"})).json()["items"] == []


async def test_moving_an_event_moves_its_reminder_and_snooze_fires_again(api, container, clock):
    ada = await sign_up(api)
    event = await create_event(api, ada, NOW + timedelta(hours=1))
    reminder = await create_reminder(api, ada, event["id"], minutes_before=10)
    moved = await api.patch(f"{EVENTS}/{event['id']}", headers=ada, json={
        "start_time": (NOW + timedelta(hours=3)).isoformat(), "end_time": (NOW + timedelta(hours=4)).isoformat()})
    assert moved.status_code == 200, moved.text
    [again] = (await api.get(f"{EVENTS}/{event['id']}/reminders", headers=ada)).json()
    assert instant(again["due_at"]) == NOW + timedelta(hours=2, minutes=50)

    clock.advance(minutes=50)  # the old due time: nothing
    assert (await dispatch(container)).delivered == 0
    clock.set(NOW + timedelta(hours=2, minutes=50))
    assert (await dispatch(container)).delivered == 1
    ada = await log_in(api)

    snoozed = await api.post(f"{REMINDERS}/{reminder['id']}/snooze", headers=ada, json={"minutes": 5})
    assert snoozed.json()["status"] == "pending"
    assert instant(snoozed.json()["due_at"]) == clock.now() + timedelta(minutes=5)
    clock.advance(minutes=5)
    assert (await dispatch(container)).delivered == 1
    assert len((await api.get(NOTIFICATIONS, headers=ada)).json()["items"]) == 2

    assert (await api.delete(f"{REMINDERS}/{reminder['id']}", headers=ada)).status_code == 204
    assert (await api.get(f"{EVENTS}/{event['id']}/reminders", headers=ada)).json() == []


async def test_soft_delete_hides_the_event_cancels_its_reminder_and_restore_brings_both_back(api, container, clock):
    ada = await sign_up(api)
    event = await create_event(api, ada, NOW + timedelta(hours=2))
    reminder = await create_reminder(api, ada, event["id"], minutes_before=60)
    note = (await api.post(f"{EVENTS}/{event['id']}/notes", headers=ada, json={"body": "bring slides"})).json()

    assert (await api.delete(f"{EVENTS}/{event['id']}", headers=ada)).status_code == 204
    assert (await api.get(f"{EVENTS}/{event['id']}", headers=ada)).status_code == 404
    assert (await api.get(EVENTS, headers=ada)).json()["items"] == []
    assert (await api.get(REMINDERS, headers=ada)).json()["items"] == []
    assert (await api.get(f"{EVENTS}/{event['id']}/notes", headers=ada)).status_code == 404
    assert (await api.patch(f"/api/v1/notes/{note['id']}", headers=ada, json={"body": "x"})).status_code == 404
    clock.advance(hours=1, minutes=1)
    assert (await dispatch(container)).delivered == 0
    ada = await log_in(api)

    restored = await api.post(f"{EVENTS}/{event['id']}/restore", headers=ada)
    assert restored.status_code == 200 and restored.json()["id"] == event["id"]
    [back] = (await api.get(REMINDERS, headers=ada)).json()["items"]
    assert (back["id"], back["status"]) == (reminder["id"], "skipped")  # its time passed while deleted
    assert (await api.get(f"{EVENTS}/{event['id']}/notes", headers=ada)).json()["items"][0]["body"] == "bring slides"

    assert (await api.delete(f"{EVENTS}/{event['id']}", headers=ada)).status_code == 204
    clock.advance(days=30, seconds=1)
    ada = await log_in(api)
    assert (await api.post(f"{EVENTS}/{event['id']}/restore", headers=ada)).status_code == 404
    assert await container.calendar.purge_deleted_events()() == 1
    assert (await api.post(f"{EVENTS}/{event['id']}/restore", headers=ada)).status_code == 404


async def test_every_route_answers_404_to_another_account_and_changes_nothing(api, container, clock):
    ada, grace = await sign_up(api, "ada"), await sign_up(api, "grace")
    event = await create_event(api, ada, NOW + timedelta(hours=1))
    reminder = await create_reminder(api, ada, event["id"], minutes_before=30)
    note = (await api.post(f"{EVENTS}/{event['id']}/notes", headers=ada, json={"body": "agenda"})).json()
    clock.advance(minutes=30)
    await dispatch(container)
    ada, grace = await log_in(api, "ada"), await log_in(api, "grace")
    [notification] = (await api.get(NOTIFICATIONS, headers=ada)).json()["items"]

    async def ada_sees():
        return [(await api.get(path, headers=ada)).json() for path in (
            f"{EVENTS}/{event['id']}", f"{EVENTS}/{event['id']}/reminders", f"{EVENTS}/{event['id']}/notes",
            NOTIFICATIONS)]

    before = await ada_sees()
    e, r, n = f"{EVENTS}/{event['id']}", f"{REMINDERS}/{reminder['id']}", f"/api/v1/notes/{note['id']}"
    probes = [
        ("GET", e, None), ("PATCH", e, {"title": "mine"}), ("DELETE", e, None), ("POST", f"{e}/restore", None),
        ("POST", f"{e}/reminders", {"minutes_before": 5}), ("GET", f"{e}/reminders", None),
        ("DELETE", r, None), ("POST", f"{r}/snooze", {"minutes": 5}),
        ("GET", f"{e}/notes", None), ("POST", f"{e}/notes", {"body": "mine"}),
        ("PATCH", n, {"body": "mine"}), ("DELETE", n, None),
        ("POST", f"{NOTIFICATIONS}/{notification['id']}/read", None),
    ]
    for method, path, body in probes:
        response = await api.request(method, path, headers=grace, json=body)
        assert response.status_code == 404, (method, path, response.text)
    for path in (EVENTS, REMINDERS, NOTIFICATIONS):
        assert (await api.get(path, headers=grace, params={"from": "2020-01-01T00:00:00Z"}
                              if path == EVENTS else None)).json()["items"] == []
    assert "Review" not in (await api.get(ICS, headers=grace)).text
    assert await ada_sees() == before


@pytest.mark.parametrize(("path", "body", "field"), [
    (EVENTS, {"time_zone": "Mars/Olympus"}, "time_zone"),
    (EVENTS, {"recurrence": "RRULE:FREQ=SOMETIMES"}, "recurrence"),
    (EVENTS, {"recurrence": "RRULE:FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30"}, "recurrence"),
    (EVENTS, {"end_time": "2026-01-06T08:59:00Z"}, "end_time"),
    (EVENTS, {"start_time": "2026-01-06T09:00:00"}, "start_time"),
    (EVENTS, {"title": ""}, "title"),
    (EVENTS, {"title": "x" * 201}, "title"),
    (EVENTS, {"all_day": True}, "start_time"),
    (EVENTS, {"colour": "red"}, "colour"),
    ("reminders", {"minutes_before": -1}, "minutes_before"),
    ("reminders", {"minutes_before": 40_321}, "minutes_before"),
    ("reminders", {"minutes_before": 5, "channel": "sms"}, "channel"),
    ("notes", {"body": ""}, "body"),
    ("notes", {"body": "x" * 10_001}, "body"),
])
async def test_bad_input_is_422_naming_the_field_and_writes_nothing(api, path, body, field):
    ada = await sign_up(api)
    good = {"title": "Review", "start_time": "2026-01-06T09:00:00Z", "end_time": "2026-01-06T10:00:00Z"}
    if path == EVENTS:
        response = await api.post(EVENTS, headers=ada, json=good | body)
        assert (await api.get(EVENTS, headers=ada)).json()["items"] == []
    else:
        event = (await api.post(EVENTS, headers=ada, json=good)).json()
        response = await api.post(f"{EVENTS}/{event['id']}/{path}", headers=ada, json=body)
        listed = await api.get(f"{EVENTS}/{event['id']}/{path}", headers=ada)
        assert (listed.json() if path == "reminders" else listed.json()["items"]) == []
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert any(f == field or f.startswith(field + ".") for f in field_errors(response)), response.json()


@pytest.mark.parametrize(("path", "params", "field"), [
    (EVENTS, {"from": "2026-01-06T00:00:00"}, "from"),
    (EVENTS, {"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "to"),
    (EVENTS, {"limit": 0}, "limit"),
    (EVENTS, {"cursor": "not-a-cursor"}, "cursor"),
    (REMINDERS, {"status": "lost"}, "status"),
    (REMINDERS, {"due_before": "tomorrow"}, "due_before"),
    (NOTIFICATIONS, {"cursor": "!!"}, "cursor"),
])
async def test_bad_list_parameters_are_422_naming_the_parameter(api, path, params, field):
    ada = await sign_up(api)
    response = await api.get(path, headers=ada, params=params)
    assert response.status_code == 422 and field in field_errors(response), response.text


async def test_a_bad_patch_or_snooze_changes_nothing(api):
    ada = await sign_up(api)
    event = await create_event(api, ada, NOW + timedelta(hours=1))
    reminder = await create_reminder(api, ada, event["id"])
    for body, field in (({"time_zone": "Nowhere"}, "time_zone"), ({"end_time": "2026-01-05T09:30:00Z"}, "end_time"),
                        ({"title": None}, "title"), ({"recurrence": "RRULE:FREQ=WEEKLY;COUNT=0"}, "recurrence")):
        response = await api.patch(f"{EVENTS}/{event['id']}", headers=ada, json=body)
        assert response.status_code == 422 and field in field_errors(response), (body, response.text)
    snoozed = await api.post(f"{REMINDERS}/{reminder['id']}/snooze", headers=ada, json={"minutes": 0})
    assert snoozed.status_code == 422 and "minutes" in field_errors(snoozed)
    assert (await api.get(f"{EVENTS}/{event['id']}", headers=ada)).json() == event
    assert (await api.get(f"{EVENTS}/{event['id']}/reminders", headers=ada)).json() == [reminder]


async def test_reminder_channels_need_their_destination(api):
    ada = await sign_up(api)
    event = await create_event(api, ada, NOW + timedelta(hours=1))
    no_hook = await api.post(f"{EVENTS}/{event['id']}/reminders", headers=ada,
                             json={"minutes_before": 5, "channel": "webhook"})
    assert (no_hook.status_code, no_hook.json()["code"]) == (409, "webhook_not_configured")
    no_smtp = await api.post(f"{EVENTS}/{event['id']}/reminders", headers=ada,
                             json={"minutes_before": 5, "channel": "email"})
    assert (no_smtp.status_code, no_smtp.json()["code"]) == (409, "channel_unavailable")

    hook = await api.put(WEBHOOK, headers=ada, json={"url": "https://example.com/hooks/atrium"})
    assert hook.status_code == 200 and hook.json()["secret"].startswith("whsec_")
    assert (await api.get(WEBHOOK, headers=ada)).json() == hook.json()
    await create_reminder(api, ada, event["id"], 5, channel="webhook")
    for minutes in (6, 7, 8, 9):
        await create_reminder(api, ada, event["id"], minutes)
    too_many = await api.post(f"{EVENTS}/{event['id']}/reminders", headers=ada, json={"minutes_before": 30})
    assert (too_many.status_code, too_many.json()["code"]) == (409, "too_many_reminders")
    bad_url = await api.put(WEBHOOK, headers=ada, json={"url": "ftp://example.com"})
    assert bad_url.status_code == 422 and "url" in field_errors(bad_url)
    assert (await api.delete(WEBHOOK, headers=ada)).status_code == 204
    assert (await api.get(WEBHOOK, headers=ada)).status_code == 404


async def test_the_feed_url_works_without_a_header_rotates_and_stops_after_revoke(api):
    ada = await sign_up(api, time_zone="Europe/Oslo")
    series = await create_event(api, ada, datetime.fromisoformat("2026-03-16T09:00:00+01:00"), title="Standup",
                                recurrence="RRULE:FREQ=WEEKLY;BYDAY=MO\nEXDATE:20260323T080000Z")
    await create_reminder(api, ada, series["id"], minutes_before=15)
    issued = await api.post(FEED, headers=ada)
    assert issued.status_code == 201
    url = issued.json()["url"]
    assert url.startswith("http://atrium.test/api/v1/calendar-feeds/cal_") and url.endswith(".ics")

    feed = await api.get(url)  # no Authorization header
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    body = feed.text.replace("\r\n ", "")
    for line in ("SUMMARY:Standup", "RRULE:FREQ=WEEKLY;BYDAY=MO", "DTSTART;TZID=Europe/Oslo:20260316T090000",
                 "EXDATE;TZID=Europe/Oslo:20260323T090000", "BEGIN:VALARM", "TRIGGER:-PT15M",
                 f"UID:{series['id']}@atrium", "BEGIN:VTIMEZONE"):
        assert line in body, line
    assert (await api.get(ICS, headers=ada)).text == feed.text

    rotated = await api.post(FEED, headers=ada)
    assert (await api.get(url)).status_code == 404
    assert (await api.get(rotated.json()["url"])).status_code == 200
    assert (await api.delete(FEED, headers=ada)).status_code == 204
    gone = await api.get(rotated.json()["url"])
    assert gone.status_code == 404 and gone.json()["code"] == "calendar_feed_not_found"
    assert (await api.get(ICS)).status_code == 401


CALENDAR = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Elsewhere//EN\r
BEGIN:VEVENT\r
UID:standup-1@elsewhere\r
SUMMARY:Standup\r
DTSTART;TZID=Europe/Oslo:20260316T090000\r
DTEND;TZID=Europe/Oslo:20260316T091500\r
RRULE:FREQ=WEEKLY;COUNT=4\r
EXDATE;TZID=Europe/Oslo:20260323T090000\r
BEGIN:VALARM\r
ACTION:DISPLAY\r
TRIGGER:-PT10M\r
END:VALARM\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:trip-1@elsewhere\r
SUMMARY:Trip\r
LOCATION:Bergen\r
DTSTART;VALUE=DATE:20260401\r
DTEND;VALUE=DATE:20260403\r
END:VEVENT\r
{extra}END:VCALENDAR\r
"""
BROKEN = """BEGIN:VEVENT\r
UID:broken@elsewhere\r
SUMMARY:Broken\r
DTSTART:20260316T090000Z\r
RRULE:FREQ=SOMETIMES\r
END:VEVENT\r
"""


async def imported(api, headers, text: str):
    return await api.post(IMPORT, headers=headers, files={"file": ("calendar.ics", text.encode(), "text/calendar")})


async def test_import_adds_events_with_alarms_and_an_invalid_file_adds_nothing(api):
    ada = await sign_up(api, time_zone="Europe/Oslo")
    rejected = await imported(api, ada, CALENDAR.format(extra=BROKEN))
    assert rejected.status_code == 422, rejected.text
    assert field_errors(rejected) == {"items[2].recurrence"}
    garbage = await imported(api, ada, "this is not a calendar")
    assert garbage.status_code == 422 and field_errors(garbage) == {"file"}
    assert (await api.get(EVENTS, headers=ada, params={"from": "2026-01-01T00:00:00Z"})).json()["items"] == []

    done = await imported(api, ada, CALENDAR.format(extra=""))
    assert done.status_code == 201, done.text
    assert done.json()["created"] == 2
    assert [(i["title"], i["status"], i["reminders"]) for i in done.json()["items"]] == [
        ("Standup", "created", 1), ("Trip", "created", 0)]
    listed = (await api.get(EVENTS, headers=ada, params={"from": "2026-03-01T00:00:00Z"})).json()["items"]
    assert [(i["title"], i["start_time"]) for i in listed] == [
        ("Standup", "2026-03-16T09:00:00+01:00"), ("Standup", "2026-03-30T09:00:00+02:00"),
        ("Trip", "2026-04-01T00:00:00+02:00"), ("Standup", "2026-04-06T09:00:00+02:00")]
    trip = (await api.get(f"{EVENTS}/{listed[2]['event_id']}", headers=ada)).json()
    assert (trip["all_day"], trip["start_date"], trip["end_date"], trip["location"]) == (
        True, "2026-04-01", "2026-04-02", "Bergen")
    [alarm] = (await api.get(f"{EVENTS}/{listed[0]['event_id']}/reminders", headers=ada)).json()
    assert (alarm["minutes_before"], alarm["due_at"]) == (10, "2026-03-16T07:50:00Z")


async def test_an_exported_calendar_imports_elsewhere_and_is_skipped_at_home(api):
    ada, grace = await sign_up(api, "ada"), await sign_up(api, "grace")
    event = await create_event(api, ada, NOW + timedelta(days=1), title="Dentist", description="check-up",
                               recurrence="RRULE:FREQ=MONTHLY;COUNT=3", time_zone="America/New_York")
    await create_reminder(api, ada, event["id"], minutes_before=60)
    exported = (await api.get(ICS, headers=ada)).text

    home = await imported(api, ada, exported)
    assert [(i["status"], i["event_id"]) for i in home.json()["items"]] == [("skipped", event["id"])]
    away = await imported(api, grace, exported)
    assert [i["status"] for i in away.json()["items"]] == ["created"]
    copy = (await api.get(f"{EVENTS}/{away.json()['items'][0]['event_id']}", headers=grace)).json()
    assert {k: copy[k] for k in ("title", "description", "start_time", "end_time", "time_zone", "recurrence")} == {
        k: event[k] for k in ("title", "description", "start_time", "end_time", "time_zone", "recurrence")}
    assert [r["minutes_before"] for r in (await api.get(f"{EVENTS}/{copy['id']}/reminders", headers=grace)).json()
            ] == [60]
