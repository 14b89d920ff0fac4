"""What an attacker with an account throws at the calendar, on both storages: dates at the ends of time, dense
rules, a forged Host header and webhooks aimed inside the network. Each is refused (422, naming the field) or
answered, and the account's calendar keeps working."""

import httpx
import pytest
from dependency_injector import providers
from pydantic import ValidationError

from domain.calendar.webhook import URL_RULE
from entrypoints.api.app import create_app
from tests.api.calendar_support import EVENTS, FEED, ICS, IMPORT, REMINDERS, WEBHOOK, field_errors, sign_up
from tests.composition import settings_for
from tests.fakes import FakeResolver

KIRITIMATI, PAGO_PAGO, TOKYO = "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Tokyo"  # +14, -11, +9
HOURS = ",".join(map(str, range(24)))
EVENT = {"title": "Edge", "start_time": "2026-03-16T09:00:00Z", "end_time": "2026-03-16T10:00:00Z",
         "time_zone": "UTC"}


async def still_answers(api, headers) -> None:
    """The account's lists, export and feed answer 200 and hold no event."""
    listed = await api.get(EVENTS, headers=headers, params={"from": "1900-01-01T00:00:00Z"})
    assert (listed.status_code, listed.json()["items"]) == (200, [])
    feed = await api.post(FEED, headers=headers)
    for answer in (await api.get(ICS, headers=headers), await api.get(feed.json()["url"])):
        assert answer.status_code == 200 and "BEGIN:VEVENT" not in answer.text


@pytest.mark.parametrize(("body", "field"), [
    ({"start_time": "9999-12-31T20:00:00Z", "end_time": "9999-12-31T21:00:00Z", "time_zone": KIRITIMATI},
     "start_time"),
    ({"start_time": "2999-12-31T20:00:00Z", "end_time": "2999-12-31T21:00:00Z", "time_zone": KIRITIMATI},
     "start_time"),  # 3000-01-01 in the event's zone
    ({"start_time": "0001-01-01T00:30:00+01:00", "end_time": "0001-01-01T01:30:00+01:00"}, "start_time"),
    ({"start_time": "1900-01-01T05:00:00Z", "end_time": "1900-01-01T06:00:00Z", "time_zone": PAGO_PAGO},
     "start_time"),  # 1899-12-31 in the event's zone
    ({"start_time": "2999-12-31T10:00:00Z", "end_time": "3000-01-01T10:00:00Z"}, "end_time"),
    ({"all_day": True, "start_time": "9999-12-31", "end_time": "9999-12-31"}, "start_time"),
    ({"all_day": True, "start_time": "2999-12-31", "end_time": "3000-01-01"}, "end_time"),
    ({"recurrence": "RRULE:FREQ=YEARLY;UNTIL=99991231T235959Z"}, "recurrence"),
    ({"recurrence": "RRULE:FREQ=YEARLY;UNTIL=29991231T235959Z", "time_zone": KIRITIMATI}, "recurrence"),
    ({"recurrence": "RRULE:FREQ=DAILY\nEXDATE:00010101T000000Z"}, "recurrence"),
    ({"recurrence": "RRULE:FREQ=DAILY\nEXDATE;VALUE=DATE:99991231"}, "recurrence"),
    ({"recurrence": f"RRULE:FREQ=DAILY;BYHOUR={HOURS};BYSECOND=" + ",".join(map(str, range(60)))}, "recurrence"),
    ({"recurrence": "RRULE:FREQ=WEEKLY;BYHOUR=9,10,11,12,13;BYMINUTE=0,10,20,30,40"}, "recurrence"),
])
async def test_an_event_outside_the_supported_years_or_denser_than_24_a_day_is_refused(api, body, field):
    ada = await sign_up(api)
    refused = await api.post(EVENTS, headers=ada, json=EVENT | body)
    assert refused.status_code == 422, refused.text
    assert field_errors(refused) == {field}
    await still_answers(api, ada)


async def test_an_edit_to_an_unsupported_date_is_refused_and_changes_nothing(api):
    ada = await sign_up(api)
    event = (await api.post(EVENTS, headers=ada, json=EVENT)).json()
    for patch, field in (({"start_time": "9999-12-31T20:00:00Z", "end_time": "9999-12-31T21:00:00Z"}, "start_time"),
                         ({"time_zone": KIRITIMATI, "start_time": "2999-12-31T11:00:00Z",
                           "end_time": "2999-12-31T12:00:00Z"}, "start_time"),
                         ({"recurrence": f"FREQ=DAILY;BYHOUR={HOURS};BYMINUTE=0,30"}, "recurrence")):
        refused = await api.patch(f"{EVENTS}/{event['id']}", headers=ada, json=patch)
        assert (refused.status_code, field_errors(refused)) == (422, {field}), refused.text
    assert (await api.get(f"{EVENTS}/{event['id']}", headers=ada)).json() == event


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "0001-01-01T00:00:00Z"}, "from"),
    ({"from": "2026-01-01T00:00:00Z", "to": "9999-12-31T23:00:00-10:00"}, "to"),
])
async def test_a_window_outside_the_supported_years_is_refused(api, params, field):
    ada = await sign_up(api)
    answer = await api.get(EVENTS, headers=ada, params=params)
    assert (answer.status_code, field_errors(answer)) == (422, {field}), answer.text
    due = await api.get(REMINDERS, headers=ada, params={"due_before": "9999-12-31T23:00:00-10:00"})
    assert (due.status_code, field_errors(due)) == (422, {"due_before"}), due.text


def ics(*lines: str) -> bytes:
    event = ["BEGIN:VEVENT", "UID:edge@elsewhere", "SUMMARY:Edge", *lines, "END:VEVENT"]
    return "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Elsewhere//EN", *event, "END:VCALENDAR", ""]
                       ).encode()


@pytest.mark.parametrize(("lines", "field"), [
    (["DTSTART;TZID=Europe/Paris:00010101T003000", "DTEND;TZID=Europe/Paris:00010101T013000"], "start_time"),
    (["DTSTART:99991231T200000Z", "DURATION:PT1H"], "start_time"),
    (["DTSTART;VALUE=DATE:99991231"], "start_time"),
    (["DTSTART:20260316T090000Z", "RRULE:FREQ=DAILY;UNTIL=99991231T235959Z"], "recurrence"),
    (["DTSTART:00010101T000000Z", "BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:-PT15M", "END:VALARM"], "start_time"),
    (["DTSTART:20260316T090000Z", "DURATION:P99999999D"], "end_time"),
])
async def test_an_import_with_an_unsupported_date_is_refused_whole(api, lines, field):
    ada = await sign_up(api)
    refused = await api.post(IMPORT, headers=ada, files={"file": ("edge.ics", ics(*lines), "text/calendar")})
    assert refused.status_code == 422, refused.text
    assert field_errors(refused) == {f"items[0].{field}"}
    await still_answers(api, ada)


async def test_events_at_both_ends_of_the_supported_years_are_listed_exported_and_imported(api):
    """Every instant the calendar accepts can be shown in its zone: nothing it commits can fail its answer."""
    ada, grace = await sign_up(api, "ada"), await sign_up(api, "grace")
    bodies = {
        "first day": {"all_day": True, "start_time": "1900-01-01", "end_time": "1900-01-01", "time_zone": TOKYO},
        "hourly": {"start_time": "1900-01-01T00:00:00+09:00", "end_time": "1900-01-01T00:30:00+09:00",
                   "time_zone": TOKYO, "recurrence": f"RRULE:FREQ=DAILY;BYHOUR={HOURS}"},
        "last minutes": {"start_time": "2999-12-31T23:30:00+14:00", "end_time": "2999-12-31T23:59:59+14:00",
                         "time_zone": KIRITIMATI},
        "new year's eve": {"start_time": "2026-12-31T22:00:00-11:00", "end_time": "2026-12-31T23:59:59-11:00",
                           "time_zone": PAGO_PAGO, "recurrence": "RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31"},
    }
    created = {title: await api.post(EVENTS, headers=ada, json=EVENT | body | {"title": title})
               for title, body in bodies.items()}
    assert {title: answer.status_code for title, answer in created.items()} == dict.fromkeys(bodies, 201)

    early = await api.get(EVENTS, headers=ada, params={"from": "1900-01-01T00:00:00+14:00", "limit": 3})
    assert [(i["title"], i["start_time"]) for i in early.json()["items"]] == [
        ("first day", "1900-01-01T00:00:00+09:00"), ("hourly", "1900-01-01T00:00:00+09:00"),
        ("hourly", "1900-01-01T01:00:00+09:00")]
    late = await api.get(EVENTS, headers=ada, params={"from": "2999-12-31T13:00:00Z"})
    assert [(i["title"], i["start_time"]) for i in late.json()["items"]] == [
        ("hourly", "2999-12-31T22:00:00+09:00"), ("hourly", "2999-12-31T23:00:00+09:00"),
        ("new year's eve", "2999-12-31T22:00:00-11:00")]
    exported = await api.get(ICS, headers=ada)
    assert exported.status_code == 200 and exported.text.count("BEGIN:VEVENT") == 4
    copied = await api.post(IMPORT, headers=grace, files={"file": ("ada.ics", exported.content, "text/calendar")})
    assert (copied.status_code, copied.json()["created"]) == (201, 4), copied.text
    reminder = await api.post(f"{EVENTS}/{created['first day'].json()['id']}/reminders", headers=ada,
                              json={"minutes_before": 40_320})
    assert (reminder.status_code, reminder.json()["status"]) == (201, "skipped")


async def test_a_series_with_the_densest_accepted_rule_lists_any_year_at_once(api):
    ada = await sign_up(api)
    await api.post(EVENTS, headers=ada, json=EVENT | {
        "start_time": "1900-01-01T00:00:00Z", "end_time": "1900-01-01T00:10:00Z",
        "recurrence": f"RRULE:FREQ=YEARLY;BYYEARDAY={','.join(map(str, range(1, 367)))};BYHOUR={HOURS}"})
    page = await api.get(EVENTS, headers=ada, params={"from": "2999-12-31T21:30:00Z", "limit": 200})
    assert [i["start_time"] for i in page.json()["items"]] == ["2999-12-31T22:00:00Z", "2999-12-31T23:00:00Z"]


# --- the feed URL ------------------------------------------------------------------------------------------------


async def test_a_forged_host_header_never_makes_the_feed_url(api):
    ada = await sign_up(api)
    issued = await api.post(FEED, headers=ada | {"Host": "evil.example", "X-Forwarded-Host": "evil.example"})
    url = issued.json()["url"]
    assert "evil" not in url and url.startswith("http://atrium.test/api/v1/calendar-feeds/cal_"), url
    assert (await api.get(url)).status_code == 200


async def test_the_feed_url_starts_with_the_configured_public_url(api, container):
    container.settings.override(providers.Object(container.settings().model_copy(
        update={"public_url": "https://cal.example.com/atrium"})))
    ada = await sign_up(api)
    issued = await api.post(FEED, headers=ada | {"Host": "evil.example"})
    assert issued.json()["url"].startswith("https://cal.example.com/atrium/api/v1/calendar-feeds/cal_")


def test_the_public_url_setting_takes_an_http_url_only():
    assert settings_for("memory", public_url="https://cal.example.com/").public_url == "https://cal.example.com"
    for wrong in ("cal.example.com", "ftp://cal.example.com", "https://cal.example.com/?a=1"):
        with pytest.raises(ValidationError, match="ATRIUM_PUBLIC_URL"):
            settings_for("memory", public_url=wrong)


# --- webhooks into the network -----------------------------------------------------------------------------------

INSIDE = {"intranet.example.com": ["10.1.2.3"], "mixed.example.com": ["10.1.2.3", "fd00::7"],
          "gone.example.com": [], "both.example.com": ["10.1.2.3", "93.184.215.14"]}


@pytest.mark.parametrize("url", [
    "https://127.0.0.1/hook", "http://[::1]:8080/hook", "http://169.254.169.254/latest/meta-data",
    "http://[::ffff:10.0.0.1]/", "https://intranet.example.com/hook", "https://mixed.example.com/hook",
    "https://gone.example.com/hook", "ftp://example.com/hook", "https://user:pw@example.com/hook",
])
async def test_a_webhook_without_a_public_address_is_refused_with_one_message(api, container, url):
    container.calendar.host_resolver.override(providers.Object(FakeResolver(INSIDE)))
    ada = await sign_up(api)
    refused = await api.put(WEBHOOK, headers=ada, json={"url": url})
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"] == [{"location": "body", "field": "url", "message": URL_RULE}]
    assert (await api.get(WEBHOOK, headers=ada)).status_code == 404


async def test_a_webhook_with_a_public_address_is_accepted(api, container):
    container.calendar.host_resolver.override(providers.Object(FakeResolver(INSIDE)))
    ada = await sign_up(api)
    answer = await api.put(WEBHOOK, headers=ada, json={"url": "https://both.example.com/hook"})
    assert answer.status_code == 200, answer.text


async def test_private_webhooks_are_accepted_when_the_server_allows_them(container):
    container.config.webhook_allow_private_networks.from_value(True)
    transport = httpx.ASGITransport(app=create_app(container), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://atrium.test") as api:
        ada = await sign_up(api)
        answer = await api.put(WEBHOOK, headers=ada, json={"url": "http://127.0.0.1:9000/hook"})
    assert answer.status_code == 200, answer.text
