"""Calendar pages: the agenda and month in the account's zone, events with recurrence and reminders, delete and
restore, the inbox; one account never sees another's events."""

import re
from datetime import timedelta

from tests.web.web_support import error_beside, text_of

STANDUP = {"title": "Standup", "start_time": "2026-01-05T09:00", "end_time": "2026-01-05T09:15",
           "repeat": "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "count": "", "location": "Room 1"}


async def new_event(browser, **fields) -> str:
    response = await browser.post("/calendar/events", {**STANDUP, **fields}, page="/calendar/events/new")
    assert response.status_code == 303, text_of(response)
    return response.headers["location"]


async def test_a_recurring_event_fills_the_month_in_the_accounts_zone(browser):
    await browser.sign_up()  # Europe/Oslo; the clock reads 2026-01-05 09:00 UTC
    where = await new_event(browser)
    event = await browser.get(where)
    assert "Standup" in text_of(event) and "FREQ=WEEKLY" in event.text
    month = await browser.get("/calendar/month?month=2026-01")
    days = re.findall(r'data-day="(2026-01-\d\d)">(.*?)</div>', month.text, re.S)
    with_standup = [d for d, cell in days if "Standup" in cell]
    assert len(with_standup) == 20 and "2026-01-10" not in with_standup  # weekdays only, none on Saturday
    assert "09:00 Standup" in text_of(month)  # Oslo wall-clock time
    february = await browser.get("/calendar/month?month=2026-02")
    assert "Standup" in february.text


async def test_the_agenda_lists_today_on_with_search(browser):
    await browser.sign_up()
    await new_event(browser, repeat="", title="Dentist", start_time="2026-01-07T14:00", end_time="2026-01-07T15:00")
    await new_event(browser, repeat="", title="Gym", start_time="2026-01-08T18:00", end_time="2026-01-08T19:00")
    agenda = text_of(await browser.get("/calendar"))
    assert agenda.index("Dentist") < agenda.index("Gym") and "14:00–15:00" in agenda
    assert "Gym" not in text_of(await browser.get("/calendar?q=dentist"))
    home = text_of(await browser.get("/"))
    assert "Nothing on your calendar today" in home


async def test_editing_deleting_and_restoring_an_event(browser):
    await browser.sign_up()
    where = await new_event(browser, repeat="")
    event_id = where.rsplit("/", 1)[1]
    edited = await browser.post(where, {**STANDUP, "repeat": "", "title": "Retro"}, page=where + "/edit")
    assert edited.status_code == 303
    assert "Retro" in text_of(await browser.get(where))
    deleted = await browser.post(where + "/delete", page=where)
    assert deleted.headers["location"] == f"/calendar?deleted={event_id}"
    assert (await browser.get(where)).status_code == 404
    restored = await browser.post(where + "/restore", page=deleted.headers["location"])
    assert restored.status_code == 303 and "Retro" in text_of(await browser.get(where))


async def test_form_errors_show_beside_their_field(browser):
    await browser.sign_up()
    page = "/calendar/events/new"
    no_title = await browser.post("/calendar/events", {**STANDUP, "title": ""}, page=page)
    assert no_title.status_code == 422 and error_beside(no_title, "title")
    backwards = await browser.post("/calendar/events", {**STANDUP, "end_time": "2026-01-05T08:00"}, page=page)
    assert backwards.status_code == 422 and error_beside(backwards, "end_time")
    bad_time = await browser.post("/calendar/events", {**STANDUP, "start_time": "soon"}, page=page)
    assert bad_time.status_code == 422 and error_beside(bad_time, "start_time")
    bad_rule = await browser.post("/calendar/events", {**STANDUP, "repeat": "custom", "recurrence": "FREQ=SOMETIMES"},
                                  page=page)
    assert bad_rule.status_code == 422 and error_beside(bad_rule, "recurrence")
    assert 'value="Room 1"' in bad_rule.text  # what was typed stays


async def test_a_reminder_reaches_the_inbox(browser, container, clock):
    await browser.sign_up()
    where = await new_event(browser, repeat="", title="Call mum", start_time="2026-01-05T11:00",
                            end_time="2026-01-05T11:30", remind="30")
    assert "30 minutes before" in text_of(await browser.get(where))
    clock.advance(timedelta(hours=1, minutes=31))  # 10:31 UTC: past the reminder due at 09:30 UTC
    await container.calendar.dispatch_reminders()()
    inbox = await browser.get("/calendar/inbox?unread=1")
    assert "Call mum" in text_of(inbox)
    notification = re.search(r'action="(/calendar/inbox/[^/]+/read)"', inbox.text).group(1)
    assert (await browser.post(notification, page="/calendar/inbox")).status_code == 303
    assert "Call mum" not in text_of(await browser.get("/calendar/inbox?unread=1"))


async def test_another_account_sees_nothing_of_it(browser):
    await browser.sign_up("ada")
    where = await new_event(browser)
    browser.forget_cookies()
    await browser.sign_up("bob")
    assert (await browser.get(where)).status_code == 404
    assert (await browser.get(where + "/edit")).status_code == 404
    assert "Standup" not in (await browser.get("/calendar/month?month=2026-01")).text
    assert (await browser.post(where + "/delete", page="/calendar")).status_code == 404
    browser.forget_cookies()
    await browser.sign_in("ada")
    assert (await browser.get(where)).status_code == 200


async def test_the_edit_form_shows_a_repeat_as_it_was_chosen(browser):
    await browser.sign_up()
    where = await new_event(browser, repeat="RRULE:FREQ=DAILY", count="3")
    form = (await browser.get(where + "/edit")).text
    assert re.search(r'<option value="RRULE:FREQ=DAILY" selected>Every day</option>', form)
    assert 'id="f-count" name="count" type="number" value="3"' in form
    custom = await new_event(browser, repeat="custom", recurrence="RRULE:FREQ=WEEKLY;INTERVAL=2")
    form = (await browser.get(custom + "/edit")).text
    assert 'value="custom" selected' in form and "INTERVAL=2" in form


async def test_reminders_are_added_and_removed_on_the_event_page(browser):
    await browser.sign_up()
    where = await new_event(browser, repeat="")
    added = await browser.post(where + "/reminders", {"minutes_before": "10", "channel": "in_app"}, page=where)
    assert added.status_code == 303 and "10 minutes before" in text_of(await browser.get(where))
    wrong = await browser.post(where + "/reminders", {"minutes_before": "soon"}, page=where)
    assert wrong.status_code == 422 and error_beside(wrong, "minutes_before")
    remove = re.search(r'action="(/calendar/reminders/[0-9a-f-]+/delete)"', (await browser.get(where)).text).group(1)
    event_id = where.rsplit("/", 1)[1]
    removed = await browser.post(remove, {"event_id": event_id}, page=where)
    assert removed.headers["location"] == where and "No reminders" in text_of(await browser.get(where))
