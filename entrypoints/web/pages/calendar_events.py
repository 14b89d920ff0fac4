"""Calendar pages to change things: an event's page, its form (create, edit) with recurrence and a reminder,
delete and restore, reminders on the event."""

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import Request, Response

from domain.calendar.event import Event
from domain.identity.account import Account
from domain.shared.errors import DomainError, InvalidValue
from entrypoints.web.fields import checked, day, identifier, local_time, optional, whole_number
from entrypoints.web.page_route import page_router
from entrypoints.web.pages.calendar import TABS, account_of, calendar_page
from entrypoints.web.rendering import Session, container, form_failed, form_values, redirect

router = page_router()
REPEATS = (("", "Does not repeat"), ("RRULE:FREQ=DAILY", "Every day"),
           ("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Every weekday"), ("RRULE:FREQ=WEEKLY", "Every week"),
           ("RRULE:FREQ=MONTHLY", "Every month"), ("RRULE:FREQ=YEARLY", "Every year"), ("custom", "Custom rule"))
CHANNELS = (("in_app", "In the inbox"), ("email", "Email"), ("webhook", "Webhook"))


def recurrence_of(values: dict[str, str]) -> str | None:
    """The RRULE the repeat choices make: a preset (with a count), or the custom rule as typed."""
    repeat = values.get("repeat", "")
    if repeat == "custom":
        return optional(values, "recurrence")
    if not repeat:
        return None
    if repeat not in {value for value, _ in REPEATS}:
        raise InvalidValue("repeat", "is not one of the choices")
    count = values.get("count", "")
    return f"{repeat};COUNT={whole_number(values, 'count')}" if count else repeat


def event_fields(values: dict[str, str], account: Account) -> dict[str, Any]:
    """CreateEvent's (and UpdateEvent's) fields from the form: times are wall-clock in the form's time zone."""
    zone = values.get("time_zone") or account.time_zone
    all_day = checked(values, "all_day")
    start: date | datetime | None
    end: date | datetime | None
    if all_day:
        start, end = day(values, "start_time"), day(values, "end_time", required=False)
        end = end or start
    else:
        start = local_time(values, "start_time", zone)
        end = local_time(values, "end_time", zone) if values.get("end_time") else start + timedelta(hours=1)
    return {"title": values.get("title", ""), "start_time": start, "end_time": end, "time_zone": zone,
            "all_day": all_day, "description": optional(values, "description"),
            "location": optional(values, "location"), "recurrence": recurrence_of(values)}


def form_of(event: Event) -> dict[str, str]:
    """An event as its form shows it."""
    zone = ZoneInfo(event.time_zone)
    start, end = event.start_time.astimezone(zone), event.end_time.astimezone(zone)
    if event.all_day:
        end -= timedelta(days=1)
    rule, _, count = (event.recurrence or "").partition(";COUNT=")
    preset = rule if rule in {value for value, _ in REPEATS[1:-1]} and (not count or count.isdigit()) else None
    return {"title": event.title, "description": event.description or "", "location": event.location or "",
            "start_time": start.strftime("%Y-%m-%dT%H:%M"), "end_time": end.strftime("%Y-%m-%dT%H:%M"),
            "time_zone": event.time_zone, "all_day": "on" if event.all_day else "",
            "repeat": preset or ("custom" if event.recurrence else ""), "count": count if preset else "",
            "recurrence": "" if preset else event.recurrence or ""}


def _form(request: Request, account: Account, values: dict[str, str], **context: Any) -> Response:
    return calendar_page(request, "calendar/event_form.html", account, values=values, repeats=REPEATS,
                         channels=CHANNELS, **context)


@router.get("/calendar/events/new")
async def new_event(request: Request, session: Session) -> Response:
    """The empty event form, starting at the next full hour (or on `?day=`)."""
    account = await account_of(request, session)
    now = container(request).infrastructure.clock().now().astimezone(ZoneInfo(account.time_zone))
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    chosen = request.query_params.get("day", "")
    try:
        start = datetime.combine(date.fromisoformat(chosen), start.time(), start.tzinfo) if chosen else start
    except ValueError:
        pass
    return _form(request, account, {"start_time": start.strftime("%Y-%m-%dT%H:%M"),
                                    "end_time": (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
                                    "time_zone": account.time_zone}, event=None)


@router.post("/calendar/events")
async def create_event(request: Request, session: Session) -> Response:
    """Add the event (and its reminder, when one is asked for)."""
    account = await account_of(request, session)
    values = await form_values(request)
    calendar = container(request).calendar
    try:
        event = await calendar.create_event()(session.account_id, **event_fields(values, account))
    except DomainError as error:
        return form_failed(request, "calendar/event_form.html", error, values=values, account=account, event=None,
                           repeats=REPEATS, channels=CHANNELS, tabs=TABS, module_name="Calendar")
    if values.get("remind"):
        try:
            await calendar.create_reminder()(session.account_id, event.id,
                                             minutes_before=whole_number(values, "remind"), channel="in_app")
        except DomainError:
            pass  # the event stands; its page offers the reminder form again
    return redirect(f"/calendar/events/{event.id}")


@router.get("/calendar/events/{event_id:uuid}")
async def show_event(request: Request, session: Session, event_id: UUID) -> Response:
    """The event, its reminders, and the buttons to edit or delete it."""
    account = await account_of(request, session)
    calendar = container(request).calendar
    event = await calendar.get_event()(session.account_id, event_id)
    reminders = await calendar.list_event_reminders()(session.account_id, event_id)
    return calendar_page(request, "calendar/event.html", account, event=event, reminders=reminders,
                         channels=CHANNELS, values={}, restored=request.query_params.get("restored") == "1")


@router.get("/calendar/events/{event_id:uuid}/edit")
async def edit_event(request: Request, session: Session, event_id: UUID) -> Response:
    """The event's form, filled in."""
    account = await account_of(request, session)
    event = await container(request).calendar.get_event()(session.account_id, event_id)
    return _form(request, account, form_of(event), event=event)


@router.post("/calendar/events/{event_id:uuid}")
async def update_event(request: Request, session: Session, event_id: UUID) -> Response:
    """Change the event; its pending reminders move with it."""
    account = await account_of(request, session)
    values = await form_values(request)
    calendar = container(request).calendar
    event = await calendar.get_event()(session.account_id, event_id)
    try:
        await calendar.update_event()(session.account_id, event_id, **event_fields(values, account))
    except DomainError as error:
        return form_failed(request, "calendar/event_form.html", error, values=values, account=account,
                           event=event, repeats=REPEATS, channels=CHANNELS, tabs=TABS, module_name="Calendar")
    return redirect(f"/calendar/events/{event_id}")


@router.post("/calendar/events/{event_id:uuid}/delete")
async def delete_event(request: Request, session: Session, event_id: UUID) -> Response:
    """Delete the event (restorable for 30 days from the notice on the agenda)."""
    await container(request).calendar.delete_event()(session.account_id, event_id)
    return redirect(f"/calendar?deleted={event_id}")


@router.post("/calendar/events/{event_id:uuid}/restore")
async def restore_event(request: Request, session: Session, event_id: UUID) -> Response:
    """Bring a deleted event back, with its reminders."""
    await container(request).calendar.restore_event()(session.account_id, event_id)
    return redirect(f"/calendar/events/{event_id}?restored=1")


@router.post("/calendar/events/{event_id:uuid}/reminders")
async def add_reminder(request: Request, session: Session, event_id: UUID) -> Response:
    """Set a reminder on the event."""
    account = await account_of(request, session)
    values = await form_values(request)
    calendar = container(request).calendar
    try:
        await calendar.create_reminder()(session.account_id, event_id,
                                         minutes_before=whole_number(values, "minutes_before"),
                                         channel=values.get("channel", "in_app"))
    except DomainError as error:
        event = await calendar.get_event()(session.account_id, event_id)
        reminders = await calendar.list_event_reminders()(session.account_id, event_id)
        return form_failed(request, "calendar/event.html", error, account=account, event=event, values=values,
                           reminders=reminders, channels=CHANNELS, tabs=TABS, module_name="Calendar")
    return redirect(f"/calendar/events/{event_id}")


@router.post("/calendar/reminders/{reminder_id:uuid}/delete")
async def delete_reminder(request: Request, session: Session, reminder_id: UUID) -> Response:
    """Remove a reminder; back to its event."""
    event_id = identifier((await form_values(request)).get("event_id"), "event_id")
    await container(request).calendar.delete_reminder()(session.account_id, reminder_id)
    return redirect(f"/calendar/events/{event_id}" if event_id else "/calendar")
