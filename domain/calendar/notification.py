"""The in-app inbox: one notification per delivered reminder."""

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.shared.errors import NotFound


class NotificationNotFound(NotFound):
    code = "notification_not_found"

    def __init__(self) -> None:
        super().__init__("the notification does not exist")


@dataclass(frozen=True, slots=True)
class Notification:
    """A message in the owner's inbox; (reminder_id, due_at) is unique, so a redelivery adds nothing."""

    id: UUID
    owner_id: UUID
    reminder_id: UUID
    event_id: UUID
    title: str
    body: str
    occurrence_start: datetime | None
    due_at: datetime
    created_at: datetime
    read_at: datetime | None = None

    def mark_read(self, now: datetime) -> "Notification":
        return self if self.read_at is not None else replace(self, read_at=now)
