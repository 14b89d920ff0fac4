"""Calendar pages to read: the agenda, the month, the notification inbox (all in the account's time zone)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import Request, Response

from domain.calendar.occurrence import Occurrence
from domain.identity.account import Account
from domain.shared.dates import MAX_DATE, MIN_DATE
from entrypoints.web.fields import identifier
from entrypoints.web.page_route import page_router
from entrypoints.web.pages.home import day_bounds, local_today
from entrypoints.web.rendering import Session, container, redirect, render

router = page_router()
TABS = (("Agenda", "/calendar"), ("Month", "/calendar/month"), ("New event", "/calendar/events/new"),
        ("Inbox", "/calendar/inbox"))
MONTH_PAGES_MAX = 10  # a month shows at most this many pages of 200 occurrences


def calendar_page(request: Request, template: str, account: Account, **context: Any) -> Response:
    return render(request, template, tabs=TABS, module_name="Calendar", account=account, **context)


async def account_of(request: Request, session: Session) -> Account:
    found: Account = await container(request).identity.get_account()(session.account_id)
    return found


@router.get("/calendar")
async def agenda(request: Request, session: Session) -> Response:
    """Upcoming occurrences from the start of today (or `from`), 50 a page, optionally matching `q`."""
    account = await account_of(request, session)
    today = local_today(account, container(request).infrastructure.clock().now())
    start = _date_param(request, "from") or today
    text = request.query_params.get("q", "").strip() or None
    page = await container(request).calendar.list_events()(
        session.account_id, window_from=day_bounds(start, account.time_zone)[0], text=text,
        cursor=request.query_params.get("cursor") or None, limit=50)
    deleted = identifier(request.query_params.get("deleted"), "deleted")
    return calendar_page(request, "calendar/agenda.html", account, occurrences=_by_day(page.items, account),
                         next_cursor=page.next_cursor, start=start, q=text or "", deleted=deleted)


@dataclass
class MonthDay:
    day: date
    in_month: bool
    is_today: bool
    occurrences: list[Occurrence] = field(default_factory=list)


@router.get("/calendar/month")
async def month(request: Request, session: Session) -> Response:
    """The month (`?month=2026-03`, default this one) as weeks from Monday, each day with its occurrences."""
    account = await account_of(request, session)
    today = local_today(account, container(request).infrastructure.clock().now())
    first = _month_param(request) or today.replace(day=1)
    grid_start = first - timedelta(days=first.weekday())
    following = (first + timedelta(days=32)).replace(day=1)
    grid_end = following + timedelta(days=(7 - following.weekday()) % 7)
    days = {grid_start + timedelta(days=n): MonthDay(grid_start + timedelta(days=n),
                                                     (grid_start + timedelta(days=n)).month == first.month,
                                                     grid_start + timedelta(days=n) == today)
            for n in range((grid_end - grid_start).days)}
    zone = ZoneInfo(account.time_zone)
    for occurrence in await _occurrences(request, session.account_id, account, grid_start, grid_end):
        local = occurrence.start.astimezone(zone).date()
        last = max(local, (occurrence.end - timedelta(microseconds=1)).astimezone(zone).date())
        while local <= last:
            if local in days:
                days[local].occurrences.append(occurrence)
            local += timedelta(days=1)
    weeks = [list(days.values())[n:n + 7] for n in range(0, len(days), 7)]
    previous = (first - timedelta(days=1)).replace(day=1)
    return calendar_page(request, "calendar/month.html", account, weeks=weeks, first=first,
                         previous=previous, following=following)


async def _occurrences(request: Request, owner_id: UUID, account: Account, start: date,
                       end: date) -> list[Occurrence]:
    list_events = container(request).calendar.list_events()
    found: list[Occurrence] = []
    cursor = None
    for _ in range(MONTH_PAGES_MAX):
        page = await list_events(owner_id, window_from=day_bounds(start, account.time_zone)[0],
                                 window_to=day_bounds(end, account.time_zone)[0], cursor=cursor, limit=200)
        found.extend(page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    return found


@router.get("/calendar/inbox")
async def inbox(request: Request, session: Session) -> Response:
    """Reminders delivered in-app, newest first (`?unread=1`: the unread only)."""
    account = await account_of(request, session)
    unread = request.query_params.get("unread") == "1"
    page = await container(request).calendar.list_notifications()(
        session.account_id, unread_only=unread, cursor=request.query_params.get("cursor") or None, limit=50)
    return calendar_page(request, "calendar/inbox.html", account, notifications=page.items,
                         next_cursor=page.next_cursor, unread=unread)


@router.post("/calendar/inbox/{notification_id:uuid}/read")
async def mark_read(request: Request, session: Session, notification_id: UUID) -> Response:
    """Mark a notification read."""
    await container(request).calendar.mark_notification_read()(session.account_id, notification_id)
    return redirect("/calendar/inbox")


def _by_day(occurrences: list[Occurrence], account: Account) -> list[tuple[date, list[Occurrence]]]:
    zone = ZoneInfo(account.time_zone)
    days: dict[date, list[Occurrence]] = {}
    for occurrence in occurrences:
        days.setdefault(occurrence.start.astimezone(zone).date(), []).append(occurrence)
    return list(days.items())


def _date_param(request: Request, name: str) -> date | None:
    try:
        return date.fromisoformat(request.query_params.get(name, ""))
    except ValueError:
        return None


def _month_param(request: Request) -> date | None:
    try:
        first = datetime.strptime(request.query_params.get("month", ""), "%Y-%m").date()
    except ValueError:
        return None
    return first if MIN_DATE.year < first.year < MAX_DATE.year else None
