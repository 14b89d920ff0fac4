"""Helpers for the calendar API tests: logged-in accounts, events, and a reminder dispatch pass."""

from datetime import datetime, timedelta

EVENTS, REMINDERS, NOTIFICATIONS = "/api/v1/events", "/api/v1/reminders", "/api/v1/notifications"
FEED, WEBHOOK, ICS, IMPORT = "/api/v1/calendar-feed", "/api/v1/calendar-webhook", "/api/v1/calendar.ics", \
    "/api/v1/events/import"


async def sign_up(api, name: str = "ada", **profile: str) -> dict[str, str]:
    """Register `name` and return the Authorization header of a fresh login."""
    registered = await api.post("/api/v1/auth/register", json={
        "email": f"{name}@example.com", "username": name, "password": "correct horse", **profile})
    assert registered.status_code == 201, registered.text
    return await log_in(api, name)


async def log_in(api, name: str = "ada") -> dict[str, str]:
    """A fresh Authorization header (access tokens expire when a test moves the clock on)."""
    tokens = await api.post("/api/v1/auth/login", json={"username": name, "password": "correct horse"})
    assert tokens.status_code == 200, tokens.text
    return {"Authorization": f"Bearer {tokens.json()['access_token']}"}


async def create_event(api, headers, start: datetime, *, minutes: int = 60, title: str = "Review", **fields) -> dict:
    body = {"title": title, "start_time": start.isoformat(), "end_time": (start + timedelta(minutes=minutes)).isoformat(),
            **fields}
    created = await api.post(EVENTS, headers=headers, json=body)
    assert created.status_code == 201, created.text
    return created.json()


async def create_reminder(api, headers, event_id: str, minutes_before: int = 15, **fields) -> dict:
    created = await api.post(f"{EVENTS}/{event_id}/reminders", headers=headers,
                             json={"minutes_before": minutes_before, **fields})
    assert created.status_code == 201, created.text
    return created.json()


async def dispatch(container):
    """One pass of the dispatcher, as `atrium reminders dispatch --once` runs it."""
    return await container.calendar.dispatch_reminders()()


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def field_errors(response) -> set[str]:
    return {error["field"] for error in response.json().get("errors") or ()}
