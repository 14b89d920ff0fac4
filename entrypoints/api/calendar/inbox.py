"""Routes on the in-app inbox: reminders delivered in-app, and marking them read."""

from datetime import datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from application.calendar import inbox
from domain.calendar.notification import Notification
from entrypoints.api.calendar.fields import Limit
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, Page
from entrypoints.container.calendar import Calendar

router = APIRouter(prefix="/api/v1", tags=["calendar"], route_class=PrefixRoute)


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


class NotificationPage(Page[NotificationOut]):
    pass


def _notification(n: Notification) -> NotificationOut:
    return NotificationOut(id=n.id, reminder_id=n.reminder_id, event_id=n.event_id, title=n.title, body=n.body,
                           occurrence_start=n.occurrence_start, due_at=n.due_at, created_at=n.created_at,
                           read_at=n.read_at)


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
