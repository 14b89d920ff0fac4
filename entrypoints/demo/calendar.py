"""Demo data for the calendar: a weekly planning meeting and a dentist appointment with a reminder and a note."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.identity.account import Account
from entrypoints.container import Container

EVER = datetime(1970, 1, 1, tzinfo=UTC)


async def seed_calendar(container: Container, account: Account) -> None:
    """Add the sample events the account does not have yet (found by title)."""
    zone = ZoneInfo(account.time_zone)
    today = container.infrastructure.clock().now().astimezone(zone).date()
    monday = today + timedelta(days=7 - today.weekday())
    planning = datetime.combine(monday, time(9), zone)
    if not await _has(container, account, "Weekly planning"):
        await container.calendar.create_event()(
            account.id, title="Weekly planning", start_time=planning, end_time=planning + timedelta(minutes=45),
            location="Room 4", description="What we ship this week.", recurrence="RRULE:FREQ=WEEKLY;BYDAY=MO")
    if not await _has(container, account, "Dentist"):
        dentist = datetime.combine(today + timedelta(days=2), time(14), zone)
        event = await container.calendar.create_event()(
            account.id, title="Dentist", start_time=dentist, end_time=dentist + timedelta(minutes=30),
            location="Main Street 1")
        await container.calendar.create_reminder()(account.id, event.id, minutes_before=60)
        await container.calendar.create_note()(account.id, event.id, body="Ask about the **night guard**.")


async def _has(container: Container, account: Account, title: str) -> bool:
    page = await container.calendar.list_events()(account.id, window_from=EVER, text=title, limit=200)
    return any(occurrence.event.title == title for occurrence in page.items)
