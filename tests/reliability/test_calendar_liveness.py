"""The server stays responsive whatever rule a user saves (issue 12): `/health` answers within 100 ms while the
worst accepted rules are listed centuries after they start, the lists answer correctly, and the densest rule the
probe found is refused. Also: the feed URL a live server hands out never comes from the request's Host header."""

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import httpx

from tests.reliability.live import LiveServer, user_headers

EVENTS = "/api/v1/events"
HOURS = ",".join(map(str, range(24)))
FROM = "2999-06-01T00:30:00Z"
# name: (start, rule, the first three starts listed from FROM)
WORST = {
    "hourly_since_1900": ("1900-01-01T00:00:00Z", f"RRULE:FREQ=DAILY;BYHOUR={HOURS}",
                          ["2999-06-01T01:00:00Z", "2999-06-01T02:00:00Z", "2999-06-01T03:00:00Z"]),
    "every_hour_of_the_year": ("1900-01-01T00:00:00Z", "RRULE:FREQ=YEARLY;BYYEARDAY="
                               + ",".join(map(str, range(1, 367))) + f";BYHOUR={HOURS}",
                               ["2999-06-01T01:00:00Z", "2999-06-01T02:00:00Z", "2999-06-01T03:00:00Z"]),
    "5000_hours": ("2999-01-01T00:00:00Z", f"RRULE:FREQ=DAILY;BYHOUR={HOURS};COUNT=5000",
                   ["2999-06-01T01:00:00Z", "2999-06-01T02:00:00Z", "2999-06-01T03:00:00Z"]),
    "leap_mondays_counted": ("1900-01-01T09:00:00Z", "RRULE:FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=5000",
                             []),  # the last one before 3000 is 2972-02-29
    "leap_days_daily": ("1900-01-01T09:00:00Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29",
                        []),  # 2999 is no leap year: none left before 3000
}
PROBE = f"RRULE:FREQ=DAILY;BYHOUR={HOURS};BYSECOND=" + ",".join(map(str, range(60)))


def create(client: httpx.Client, headers: dict[str, str], start: str, rule: str) -> httpx.Response:
    begin = datetime.fromisoformat(start.replace("Z", "+00:00"))
    return client.post(EVENTS, headers=headers, json={
        "title": "Worst", "start_time": begin.isoformat(), "end_time": begin.replace(minute=30).isoformat(),
        "time_zone": "UTC", "recurrence": rule})


def test_health_answers_within_100_ms_while_the_worst_rules_are_listed_far_ahead(live: LiveServer):
    with live.client() as client:
        probe_owner = user_headers(client, "liveness_probe")
        refused = create(client, probe_owner, "2026-01-01T00:00:00Z", PROBE)
        assert refused.status_code == 422, refused.text
        owners = {}
        for name, (start, rule, _) in WORST.items():
            owners[name] = user_headers(client, f"liveness_{name}")
            created = create(client, owners[name], start, rule)
            assert created.status_code == 201, (name, created.text)

    answers: dict[str, list[list[str]]] = {name: [] for name in WORST}

    def list_far_ahead(name: str) -> None:
        with live.client() as lister:
            for _ in range(4):
                page = lister.get(EVENTS, headers=owners[name], params={"from": FROM, "limit": 200})
                assert page.status_code == 200, page.text
                answers[name].append([item["start_time"] for item in page.json()["items"][:3]])

    latencies = []
    with ThreadPoolExecutor(len(WORST)) as pool, live.client() as health:
        listing = [pool.submit(list_far_ahead, name) for name in WORST]
        while not all(job.done() for job in listing) or len(latencies) < 20:
            begun = time.perf_counter()
            assert health.get("/health", timeout=5).status_code == 200
            latencies.append(time.perf_counter() - begun)
            time.sleep(0.01)
        for job in listing:
            job.result()

    assert statistics.median(latencies) < 0.1, sorted(latencies)[-5:]
    assert max(latencies) < 1.0, sorted(latencies)[-5:]
    assert answers == {name: [first] * 4 for name, (_, _, first) in WORST.items()}


def test_the_feed_url_names_the_server_whatever_host_the_request_names(live: LiveServer):
    with live.client() as client:
        headers = user_headers(client, "feed_host_owner")
        issued = client.post("/api/v1/calendar-feed", headers=headers | {"Host": "evil.example"})
        assert issued.status_code == 201, issued.text
        url = issued.json()["url"]
        assert url.startswith(f"{live.url}/api/v1/calendar-feeds/cal_"), url
        assert client.get(url).status_code == 200
