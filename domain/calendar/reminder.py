"""Reminders: due at an occurrence's start minus an offset, delivered once, retried with backoff."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain.shared.errors import Conflict, InvalidValue, NotFound

MINUTES_BEFORE_MAX = 40_320  # four weeks
SNOOZE_MAX = 40_320
MAX_PER_EVENT = 5
MAX_ATTEMPTS = 5
CLAIM_LEASE = timedelta(minutes=5)  # a claim not finished by then (a crashed dispatcher) is claimed again


class Channel(StrEnum):
    IN_APP = "in_app"
    WEBHOOK = "webhook"
    EMAIL = "email"


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class ReminderNotFound(NotFound):
    code = "reminder_not_found"

    def __init__(self) -> None:
        super().__init__("the reminder does not exist")


class TooManyReminders(Conflict):
    code = "too_many_reminders"

    def __init__(self) -> None:
        super().__init__(f"an event has at most {MAX_PER_EVENT} reminders")


class DuplicateReminder(Conflict):
    code = "reminder_exists"

    def __init__(self) -> None:
        super().__init__("the event already has a reminder at this offset on this channel")


def parse_channel(value: object) -> Channel:
    if isinstance(value, str) and value in Channel.__members__.values():
        return Channel(value)
    raise InvalidValue("channel", "must be one of in_app, webhook, email")


def _minutes(field: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidValue(field, f"must be a whole number from {low} to {high}")
    return value


def retry_delay(attempts: int) -> timedelta:
    """Wait after the n-th failed attempt: 1, 2, 4, 8 ... minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


@dataclass(frozen=True, slots=True)
class Reminder:
    """A reminder of an event; for a series it always aims at one occurrence (the next one due)."""

    id: UUID
    owner_id: UUID
    event_id: UUID
    minutes_before: int
    channel: Channel
    status: ReminderStatus
    occurrence_start: datetime | None
    due_at: datetime | None
    next_attempt_at: datetime | None  # when a dispatcher may claim it; only while pending
    attempts: int
    last_error: str | None
    sent_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls, *, id: UUID, owner_id: UUID, event_id: UUID, minutes_before: object, channel: object,
        occurrence_start: datetime | None, now: datetime,
    ) -> "Reminder":
        reminder = cls(
            id=id, owner_id=owner_id, event_id=event_id,
            minutes_before=_minutes("minutes_before", minutes_before, 0, MINUTES_BEFORE_MAX),
            channel=parse_channel(channel), status=ReminderStatus.PENDING, occurrence_start=None,
            due_at=None, next_attempt_at=None, attempts=0, last_error=None, sent_at=None,
            created_at=now, updated_at=now,
        )
        return reminder.aim_at(occurrence_start, now)

    @property
    def offset(self) -> timedelta:
        return timedelta(minutes=self.minutes_before)

    def aim_at(self, occurrence_start: datetime | None, now: datetime) -> "Reminder":
        """Pending at the occurrence's start minus the offset; skipped if that has passed or there is none."""
        due = None if occurrence_start is None else occurrence_start - self.offset
        pending = due is not None and due >= now
        return replace(
            self, status=ReminderStatus.PENDING if pending else ReminderStatus.SKIPPED,
            occurrence_start=occurrence_start, due_at=due, next_attempt_at=due if pending else None,
            attempts=0, last_error=None, updated_at=now,
        )

    def claim(self, now: datetime) -> "Reminder":
        """Count an attempt and hide the reminder from other dispatchers for the lease."""
        return replace(self, attempts=self.attempts + 1, next_attempt_at=now + CLAIM_LEASE)

    def delivered(self, now: datetime, next_occurrence_start: datetime | None) -> "Reminder":
        """Sent; a series' reminder moves on to the next occurrence."""
        if next_occurrence_start is not None:
            return replace(self.aim_at(next_occurrence_start, now), sent_at=now)
        return replace(self, status=ReminderStatus.SENT, next_attempt_at=None, sent_at=now,
                       last_error=None, updated_at=now)

    def delivery_failed(self, now: datetime, error: str, next_occurrence_start: datetime | None) -> "Reminder":
        """Retry later with backoff; after the last attempt, failed (a series moves on instead)."""
        if self.attempts < MAX_ATTEMPTS:
            return replace(self, next_attempt_at=now + retry_delay(self.attempts), last_error=error,
                           updated_at=now)
        if next_occurrence_start is not None:
            return replace(self.aim_at(next_occurrence_start, now), last_error=error)
        return replace(self, status=ReminderStatus.FAILED, next_attempt_at=None, last_error=error,
                       updated_at=now)

    def cancel(self, now: datetime) -> "Reminder":
        return replace(self, status=ReminderStatus.CANCELLED, next_attempt_at=None, updated_at=now)

    def snooze(self, minutes: object, now: datetime) -> "Reminder":
        """Deliver (again) `minutes` from now, whatever happened before."""
        due = now + timedelta(minutes=_minutes("minutes", minutes, 1, SNOOZE_MAX))
        return replace(self, status=ReminderStatus.PENDING, due_at=due, next_attempt_at=due,
                       attempts=0, last_error=None, updated_at=now)
