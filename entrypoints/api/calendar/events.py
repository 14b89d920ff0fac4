"""Routes of the calendar context: events, reminders, notes, the inbox, iCalendar export/import, feed and webhook."""

from datetime import date, datetime, timedelta
from typing import Annotated
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, File, Path, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, BeforeValidator, Field, StrictBool

from application.calendar import events, feed, ical, inbox, notes, reminders, webhooks
from application.calendar.pages import LIMIT_MAX
from application.identity.ports import AccessClaims
from domain.calendar.event import DESCRIPTION_MAX, LOCATION_MAX, RECURRENCE_MAX, TITLE_MAX, Event
from domain.calendar.note import BODY_MAX, Note
from domain.calendar.notification import Notification
from domain.calendar.occurrence import Occurrence
from domain.calendar.reminder import MINUTES_BEFORE_MAX, SNOOZE_MAX, Channel, Reminder, ReminderStatus
from domain.calendar.webhook import URL_MAX, CalendarWebhook
from entrypoints.api.dependencies import current_caller, current_live_session, use
from entrypoints.api.types import Instant, JsonInteger, Strict, iso_instant
from entrypoints.api.problems import problem, responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.container.calendar import Calendar

router = APIRouter(prefix="/api/v1", tags=["calendar"], route_class=PrefixRoute)
ICS = "text/calendar; charset=utf-8"



Limit = Annotated[int, Query(ge=1, le=LIMIT_MAX)]
Cursor = Annotated[str | None, Query(max_length=200)]
When = Annotated[AwareDatetime | date, BeforeValidator(iso_instant), Field(
    description="ISO 8601 date-time with an offset; a date (YYYY-MM-DD) when all_day",
    examples=["2026-03-16T09:00:00+01:00"])]
TimeZone = Annotated[str, Field(min_length=1, max_length=64, examples=["Europe/Oslo"], description="IANA time zone")]
Recurrence = Annotated[str | None, Field(max_length=RECURRENCE_MAX, examples=["RRULE:FREQ=WEEKLY;BYDAY=MO"],
                                          description="one RFC 5545 RRULE line and optional EXDATE lines")]


class EventIn(Strict):
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX)]
    description: Annotated[str | None, Field(max_length=DESCRIPTION_MAX)] = None
    location: Annotated[str | None, Field(max_length=LOCATION_MAX)] = None
    start_time: When
    end_time: When
    time_zone: TimeZone | None = Field(None, description="default: the account's time zone")
    all_day: StrictBool = False
    recurrence: Recurrence = None


class EventPatch(Strict):
    """Only the fields sent change; null clears description, location or recurrence."""

    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX)] = None
    description: Annotated[str | None, Field(max_length=DESCRIPTION_MAX)] = None
    location: Annotated[str | None, Field(max_length=LOCATION_MAX)] = None
    start_time: When = None
    end_time: When = None
    time_zone: TimeZone = None
    all_day: StrictBool = None
    recurrence: Recurrence = None


class EventOut(BaseModel):
    id: UUID
    title: str
    description: str | None
    location: str | None
    start_time: datetime = Field(description="in the event's time zone")
    end_time: datetime
    start_date: date | None = Field(description="all-day events: the first day")
    end_date: date | None = Field(description="all-day events: the last day (inclusive)")
    time_zone: str
    all_day: bool
    recurrence: str | None
    created_at: datetime
    updated_at: datetime


class OccurrenceOut(BaseModel):
    event_id: UUID
    series_id: UUID | None = Field(description="the recurring event this occurrence belongs to")
    title: str
    description: str | None
    location: str | None
    start_time: datetime
    end_time: datetime
    time_zone: str
    all_day: bool
    recurrence: str | None


class OccurrencePage(BaseModel):
    items: list[OccurrenceOut]
    next_cursor: str | None


class ReminderIn(Strict):
    minutes_before: Annotated[int, Field(ge=0, le=MINUTES_BEFORE_MAX), JsonInteger]
    channel: Channel = Channel.IN_APP


class SnoozeIn(Strict):
    minutes: Annotated[int, Field(ge=1, le=SNOOZE_MAX)]


class ReminderOut(BaseModel):
    id: UUID
    event_id: UUID
    minutes_before: int
    channel: Channel
    status: ReminderStatus
    occurrence_start: datetime | None
    due_at: datetime | None
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    created_at: datetime


class ReminderPage(BaseModel):
    items: list[ReminderOut]
    next_cursor: str | None


class NoteIn(Strict):
    body: Annotated[str, Field(min_length=1, max_length=BODY_MAX, description="markdown")]


class NoteOut(BaseModel):
    id: UUID
    event_id: UUID
    body: str
    created_at: datetime
    updated_at: datetime


class NotePage(BaseModel):
    items: list[NoteOut]
    next_cursor: str | None


class NotificationOut(BaseModel):
    id: UUID
    reminder_id: UUID
    event_id: UUID
    title: str
    body: str
    occurrence_start: datetime | None
    due_at: datetime
    created_at: datetime
    read_at: datetime | None


class NotificationPage(BaseModel):
    items: list[NotificationOut]
    next_cursor: str | None


class FeedOut(BaseModel):
    url: str = Field(description="subscribe a calendar app to this URL; it works without a header until revoked")
    token: str
    created_at: datetime


class WebhookIn(Strict):
    url: Annotated[str, Field(min_length=1, max_length=URL_MAX, examples=["https://example.com/hooks/atrium"])]


class WebhookOut(BaseModel):
    url: str
    secret: str = Field(description="verify X-Atrium-Signature: sha256=<hex HMAC-SHA256 of the body under this secret>")
    created_at: datetime


class ImportedOut(BaseModel):
    index: int = Field(description="the VEVENT's position in the file, from 0")
    uid: str | None
    title: str | None
    status: str = Field(description="created, or skipped when this calendar already holds the event")
    event_id: UUID
    reminders: int


class ImportOut(BaseModel):
    created: int
    items: list[ImportedOut]


def _local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


def _event(event: Event) -> EventOut:
    days = (_local(event.start_time, event.time_zone).date(),
            _local(event.end_time, event.time_zone).date() - timedelta(days=1)) if event.all_day else (None, None)
    return EventOut(
        id=event.id, title=event.title, description=event.description, location=event.location,
        start_time=_local(event.start_time, event.time_zone), end_time=_local(event.end_time, event.time_zone),
        start_date=days[0], end_date=days[1], time_zone=event.time_zone, all_day=event.all_day,
        recurrence=event.recurrence, created_at=event.created_at, updated_at=event.updated_at,
    )


def _occurrence(occurrence: Occurrence) -> OccurrenceOut:
    event = occurrence.event
    return OccurrenceOut(
        event_id=event.id, series_id=occurrence.series_id, title=event.title, description=event.description,
        location=event.location, start_time=_local(occurrence.start, event.time_zone),
        end_time=_local(occurrence.end, event.time_zone), time_zone=event.time_zone, all_day=event.all_day,
        recurrence=event.recurrence,
    )


def _reminder(reminder: Reminder) -> ReminderOut:
    return ReminderOut(
        id=reminder.id, event_id=reminder.event_id, minutes_before=reminder.minutes_before, channel=reminder.channel,
        status=reminder.status, occurrence_start=reminder.occurrence_start, due_at=reminder.due_at,
        attempts=reminder.attempts, last_error=reminder.last_error, sent_at=reminder.sent_at,
        created_at=reminder.created_at,
    )


def _note(note: Note) -> NoteOut:
    return NoteOut(id=note.id, event_id=note.event_id, body=note.body, created_at=note.created_at,
                   updated_at=note.updated_at)


def _notification(n: Notification) -> NotificationOut:
    return NotificationOut(id=n.id, reminder_id=n.reminder_id, event_id=n.event_id, title=n.title, body=n.body,
                           occurrence_start=n.occurrence_start, due_at=n.due_at, created_at=n.created_at,
                           read_at=n.read_at)


def _webhook(webhook: CalendarWebhook) -> WebhookOut:
    return WebhookOut(url=webhook.url, secret=webhook.secret, created_at=webhook.created_at)


def _no_content() -> Response:
    return Response(status_code=204)


Caller = Annotated[AccessClaims, Depends(current_caller)]
LiveSession = Annotated[AccessClaims, Depends(current_live_session)]  # sensitive: checked in the database

# --- events -----------------------------------------------------------------


@router.post("/events", status_code=201, response_model=EventOut, responses=responses(401, 422))
async def create_event(body: EventIn, caller: Caller,
                       create: events.CreateEvent = use(Calendar.create_event)) -> EventOut:
    """Add an event; times are stored as UTC instants, a series expands in its own time zone."""
    return _event(await create(caller.account_id, **body.model_dump()))


@router.get("/events", response_model=OccurrencePage, responses=responses(401, 422))
async def list_events(
    caller: Caller,
    window_from: Annotated[Instant | None, Query(alias="from", description="default: now")] = None,
    window_to: Annotated[Instant | None, Query(alias="to", description="default: no end")] = None,
    q: Annotated[str | None, Query(max_length=TITLE_MAX, description="text in title, description or location")] = None,
    cursor: Cursor = None, limit: Limit = 50,
    list_events: events.ListEvents = use(Calendar.list_events),
) -> OccurrencePage:
    """Occurrences meeting [from, to) (running across `from` counts), by start; without `from`, upcoming ones."""
    page = await list_events(caller.account_id, window_from=window_from, window_to=window_to, text=q,
                             cursor=cursor, limit=limit)
    return OccurrencePage(items=[_occurrence(o) for o in page.items], next_cursor=page.next_cursor)


@router.post("/events/import", status_code=201, response_model=ImportOut, responses=responses(401, 413, 422))
async def import_events(caller: Caller, file: Annotated[UploadFile, File(description="an .ics file")],
                        import_events: ical.ImportEvents = use(Calendar.import_events)) -> ImportOut | JSONResponse:
    """Import an iCalendar file's events, with their alarms as in-app reminders; one invalid event imports
    nothing (422 lists every problem as `items[<index>].<field>`)."""
    try:
        report = await import_events(caller.account_id, await file.read())
    except ical.ImportRejected as rejected:
        errors = [{"location": "file", "field": f"items[{p.index}].{p.field}", "message": p.message}
                  for p in rejected.problems]
        return problem(422, rejected.code, rejected.title, rejected.detail, errors=errors)
    return ImportOut(created=report.created, items=[ImportedOut(
        index=i.index, uid=i.uid, title=i.title, status=i.status, event_id=i.event_id, reminders=i.reminders,
    ) for i in report.items])


@router.get("/events/{event_id:uuid}", response_model=EventOut, responses=responses(401, 404, 422))
async def get_event(event_id: UUID, caller: Caller, get: events.GetEvent = use(Calendar.get_event)) -> EventOut:
    """One of the caller's events."""
    return _event(await get(caller.account_id, event_id))


@router.patch("/events/{event_id:uuid}", response_model=EventOut, responses=responses(401, 404, 422))
async def update_event(event_id: UUID, body: EventPatch, caller: Caller,
                       update: events.UpdateEvent = use(Calendar.update_event)) -> EventOut:
    """Change some fields; new timing moves the event's pending reminders with it."""
    return _event(await update(caller.account_id, event_id, **body.model_dump(exclude_unset=True)))


@router.delete("/events/{event_id:uuid}", status_code=204, response_class=Response,
               responses=responses(401, 404, 422))
async def delete_event(event_id: UUID, caller: Caller,
                       delete: events.DeleteEvent = use(Calendar.delete_event)) -> Response:
    """Soft-delete: gone from lists and reminders; `POST .../restore` brings it back within 30 days."""
    await delete(caller.account_id, event_id)
    return _no_content()


@router.post("/events/{event_id:uuid}/restore", response_model=EventOut, responses=responses(401, 404, 422))
async def restore_event(event_id: UUID, caller: Caller,
                        restore: events.RestoreEvent = use(Calendar.restore_event)) -> EventOut:
    """Undo a delete of less than 30 days ago, with the reminders it cancelled."""
    return _event(await restore(caller.account_id, event_id))


# --- reminders --------------------------------------------------------------


@router.post("/events/{event_id:uuid}/reminders", status_code=201, response_model=ReminderOut,
             responses=responses(401, 404, 409, 422))
async def create_reminder(event_id: UUID, body: ReminderIn, caller: Caller,
                          create: reminders.CreateReminder = use(Calendar.create_reminder)) -> ReminderOut:
    """Remind `minutes_before` the event (a series: its next occurrence); at most 5 per event.
    Already past: `skipped`. `webhook` needs `PUT /calendar-webhook` first; `email` needs SMTP on the server."""
    return _reminder(await create(caller.account_id, event_id, minutes_before=body.minutes_before,
                                  channel=body.channel))


@router.get("/events/{event_id:uuid}/reminders", response_model=list[ReminderOut], responses=responses(401, 404, 422))
async def list_event_reminders(event_id: UUID, caller: Caller,
                               list_: reminders.ListEventReminders = use(Calendar.list_event_reminders),
                               ) -> list[ReminderOut]:
    """The event's reminders in creation order."""
    return [_reminder(r) for r in await list_(caller.account_id, event_id)]


@router.get("/reminders", response_model=ReminderPage, responses=responses(401, 422))
async def list_reminders(
    caller: Caller, status: ReminderStatus | None = None,
    due_before: Annotated[Instant | None, Query()] = None, cursor: Cursor = None, limit: Limit = 50,
    list_: reminders.ListReminders = use(Calendar.list_reminders),
) -> ReminderPage:
    """The caller's reminders of live events, optionally by status and due before an instant."""
    page = await list_(caller.account_id, status=status, due_before=due_before, cursor=cursor, limit=limit)
    return ReminderPage(items=[_reminder(r) for r in page.items], next_cursor=page.next_cursor)


@router.delete("/reminders/{reminder_id:uuid}", status_code=204, response_class=Response,
               responses=responses(401, 404, 422))
async def delete_reminder(reminder_id: UUID, caller: Caller,
                          delete: reminders.DeleteReminder = use(Calendar.delete_reminder)) -> Response:
    """Remove a reminder; it will not fire."""
    await delete(caller.account_id, reminder_id)
    return _no_content()


@router.post("/reminders/{reminder_id:uuid}/snooze", response_model=ReminderOut, responses=responses(401, 404, 422))
async def snooze_reminder(reminder_id: UUID, body: SnoozeIn, caller: Caller,
                          snooze: reminders.SnoozeReminder = use(Calendar.snooze_reminder)) -> ReminderOut:
    """Deliver the reminder (again) `minutes` from now."""
    return _reminder(await snooze(caller.account_id, reminder_id, minutes=body.minutes))


# --- notes ------------------------------------------------------------------


@router.get("/events/{event_id:uuid}/notes", response_model=NotePage, responses=responses(401, 404, 422))
async def list_notes(event_id: UUID, caller: Caller, cursor: Cursor = None, limit: Limit = 50,
                     list_: notes.ListNotes = use(Calendar.list_notes)) -> NotePage:
    """The event's notes, oldest first."""
    page = await list_(caller.account_id, event_id, cursor=cursor, limit=limit)
    return NotePage(items=[_note(n) for n in page.items], next_cursor=page.next_cursor)


@router.post("/events/{event_id:uuid}/notes", status_code=201, response_model=NoteOut,
             responses=responses(401, 404, 422))
async def create_note(event_id: UUID, body: NoteIn, caller: Caller,
                      create: notes.CreateNote = use(Calendar.create_note)) -> NoteOut:
    """Attach a markdown note (up to 10,000 characters)."""
    return _note(await create(caller.account_id, event_id, body=body.body))


@router.patch("/notes/{note_id:uuid}", response_model=NoteOut, responses=responses(401, 404, 422))
async def update_note(note_id: UUID, body: NoteIn, caller: Caller,
                      update: notes.UpdateNote = use(Calendar.update_note)) -> NoteOut:
    """Replace a note's text."""
    return _note(await update(caller.account_id, note_id, body=body.body))


@router.delete("/notes/{note_id:uuid}", status_code=204, response_class=Response,
               responses=responses(401, 404, 422))
async def delete_note(note_id: UUID, caller: Caller, delete: notes.DeleteNote = use(Calendar.delete_note)) -> Response:
    """Remove a note for good."""
    await delete(caller.account_id, note_id)
    return _no_content()


# --- the in-app inbox -------------------------------------------------------


@router.get("/notifications", response_model=NotificationPage, responses=responses(401, 422))
async def list_notifications(caller: Caller, unread: bool = False, cursor: Cursor = None, limit: Limit = 50,
                             list_: inbox.ListNotifications = use(Calendar.list_notifications)) -> NotificationPage:
    """Reminders delivered in-app, newest first; `unread=true` for the unread only."""
    page = await list_(caller.account_id, unread_only=unread, cursor=cursor, limit=limit)
    return NotificationPage(items=[_notification(n) for n in page.items], next_cursor=page.next_cursor)


@router.post("/notifications/{notification_id:uuid}/read", response_model=NotificationOut,
             responses=responses(401, 404, 422))
async def mark_notification_read(notification_id: UUID, caller: Caller,
                                 mark: inbox.MarkNotificationRead = use(Calendar.mark_notification_read),
                                 ) -> NotificationOut:
    """Mark a notification read (again: no change)."""
    return _notification(await mark(caller.account_id, notification_id))


# --- iCalendar, the feed URL and the webhook --------------------------------


@router.get("/calendar.ics", response_class=Response, responses={
    200: {"content": {ICS: {}}, "description": "the caller's events as iCalendar"}, **responses(401)})
async def export_calendar(caller: Caller, export: ical.ExportCalendar = use(Calendar.export_calendar)) -> Response:
    """The caller's live events as an .ics file: series with RRULE/EXDATE, reminders as VALARMs."""
    return Response(await export(caller.account_id), media_type=ICS,
                    headers={"Content-Disposition": 'attachment; filename="atrium.ics"', "Cache-Control": "no-store"})


@router.post("/calendar-feed", status_code=201, response_model=FeedOut, responses=responses(401))
async def issue_calendar_feed(request: Request, caller: LiveSession,
                              issue: feed.IssueCalendarFeed = use(Calendar.issue_calendar_feed)) -> FeedOut:
    """Create the secret feed URL, or rotate it (the previous URL stops working); shown once."""
    issued = await issue(caller.account_id)
    url = _public_base(request) + request.app.url_path_for("calendar_feed", token=issued.token)
    return FeedOut(url=url, token=issued.token, created_at=issued.feed.created_at)


def _public_base(request: Request) -> str:
    """ATRIUM_PUBLIC_URL, else the address this server listens on: never the request's Host header."""
    configured = request.app.state.container.settings().public_url
    if configured:
        return configured
    scheme = request.scope.get("scheme", "http")
    host, port = request.scope.get("server") or ("127.0.0.1", None)
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" + ("" if port in (None, {"http": 80, "https": 443}.get(scheme)) else f":{port}")


@router.delete("/calendar-feed", status_code=204, response_class=Response, responses=responses(401))
async def revoke_calendar_feed(caller: LiveSession,
                               revoke: feed.RevokeCalendarFeed = use(Calendar.revoke_calendar_feed)) -> Response:
    """Revoke the feed URL (nothing to revoke: also 204)."""
    await revoke(caller.account_id)
    return _no_content()


@router.get("/calendar-feeds/{token}.ics", name="calendar_feed", response_class=Response, responses={
    200: {"content": {ICS: {}}, "description": "the feed owner's events as iCalendar"}, **responses(404)})
async def calendar_feed(token: Annotated[str, Path(max_length=200)],
                        export: ical.ExportCalendarFeed = use(Calendar.export_calendar_feed)) -> Response:
    """The calendar behind a secret feed token, for calendar apps: no Authorization header needed."""
    return Response(await export(token), media_type=ICS, headers={"Cache-Control": "private, no-store"})


@router.put("/calendar-webhook", response_model=WebhookOut, responses=responses(401, 422))
async def set_calendar_webhook(body: WebhookIn, caller: LiveSession,
                               set_: webhooks.SetCalendarWebhook = use(Calendar.set_calendar_webhook)) -> WebhookOut:
    """Send `webhook` reminders to this URL, signed with a new secret: each delivery is a JSON POST with
    `X-Atrium-Signature: sha256=<hex HMAC-SHA256 of the body>` and a stable `X-Atrium-Delivery` id."""
    return _webhook(await set_(caller.account_id, url=body.url))


@router.get("/calendar-webhook", response_model=WebhookOut, responses=responses(401, 404))
async def get_calendar_webhook(caller: Caller,
                               get: webhooks.GetCalendarWebhook = use(Calendar.get_calendar_webhook)) -> WebhookOut:
    """The webhook URL and its signing secret."""
    return _webhook(await get(caller.account_id))


@router.delete("/calendar-webhook", status_code=204, response_class=Response, responses=responses(401, 404))
async def remove_calendar_webhook(caller: LiveSession, remove: webhooks.RemoveCalendarWebhook = use(
        Calendar.remove_calendar_webhook)) -> Response:
    """Stop webhook deliveries; pending webhook reminders then fail."""
    await remove(caller.account_id)
    return _no_content()
