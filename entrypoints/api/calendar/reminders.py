"""Routes on reminders: set them on an event, list, snooze and remove them."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from application.calendar import reminders
from domain.calendar.reminder import MINUTES_BEFORE_MAX, SNOOZE_MAX, Channel, Reminder, ReminderStatus
from entrypoints.api.calendar.fields import Limit
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, Instant, JsonInteger, Page, Strict, no_content
from entrypoints.container.calendar import Calendar

router = APIRouter(prefix="/api/v1", tags=["calendar"], route_class=PrefixRoute)


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


class ReminderPage(Page[ReminderOut]):
    pass


def _reminder(reminder: Reminder) -> ReminderOut:
    return ReminderOut(
        id=reminder.id, event_id=reminder.event_id, minutes_before=reminder.minutes_before, channel=reminder.channel,
        status=reminder.status, occurrence_start=reminder.occurrence_start, due_at=reminder.due_at,
        attempts=reminder.attempts, last_error=reminder.last_error, sent_at=reminder.sent_at,
        created_at=reminder.created_at,
    )


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
    return no_content()


@router.post("/reminders/{reminder_id:uuid}/snooze", response_model=ReminderOut, responses=responses(401, 404, 422))
async def snooze_reminder(reminder_id: UUID, body: SnoozeIn, caller: Caller,
                          snooze: reminders.SnoozeReminder = use(Calendar.snooze_reminder)) -> ReminderOut:
    """Deliver the reminder (again) `minutes` from now."""
    return _reminder(await snooze(caller.account_id, reminder_id, minutes=body.minutes))
