"""The event aggregate: a time span in an IANA zone, an optional recurrence, soft delete."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TypedDict, Unpack
from uuid import UUID
from zoneinfo import ZoneInfo

from domain.shared.changes import refuse_unknown
from domain.shared.dates import check_date, check_instant
from domain.shared.errors import InvalidValue, NotFound
from domain.shared.locale import check_time_zone
from domain.shared.text import normalize_text

TITLE_MAX, DESCRIPTION_MAX, LOCATION_MAX, RECURRENCE_MAX = 200, 10_000, 500, 2_000
RESTORE_WINDOW = timedelta(days=30)


class EventNotFound(NotFound):
    code = "event_not_found"

    def __init__(self) -> None:
        super().__init__("the event does not exist")


def _text(field: str, value: object, maximum: int, *, required: bool = False, multiline: bool = False) -> str | None:
    text = normalize_text(value, field, maximum, multiline=multiline)
    if required and text is None:
        raise InvalidValue(field, f"must be 1-{maximum} characters")
    return text


def normalize_recurrence(value: object) -> str | None:
    """Return the RRULE/EXDATE lines trimmed, one per line ("FREQ=..." gets its "RRULE:" prefix)."""
    text = _text("recurrence", value, RECURRENCE_MAX, multiline=True)
    if text is None:
        return None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join("RRULE:" + line if line.upper().startswith("FREQ=") else line for line in lines)


def _instant(field: str, value: object, zone: ZoneInfo) -> datetime:
    if not isinstance(value, datetime):
        raise InvalidValue(field, "must be a date-time with a UTC offset")
    if value.utcoffset() is None:
        raise InvalidValue(field, "must include a UTC offset, like 2026-03-16T09:00:00+01:00")
    return check_instant(value, field, zone).astimezone(UTC)


def _day(field: str, value: object) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidValue(field, "must be a date (YYYY-MM-DD) for an all-day event")
    return check_date(value, field)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), zone).astimezone(UTC)


def event_span(start: object, end: object, *, all_day: bool, time_zone: str) -> tuple[datetime, datetime]:
    """Return (start, end) as UTC instants, end never before start, both on supported dates (domain.shared.dates)
    as written and in the event's zone.

    All-day events take dates; the end date is inclusive and the span runs from local midnight
    of the first day to local midnight after the last.
    """
    zone = ZoneInfo(time_zone)
    if all_day:
        first, last = _day("start_time", start), _day("end_time", end)
        if last < first:
            raise InvalidValue("end_time", "must not be before start_time")
        return _midnight(first, zone), _midnight(last + timedelta(days=1), zone)
    begin, finish = _instant("start_time", start, zone), _instant("end_time", end, zone)
    if finish < begin:
        raise InvalidValue("end_time", "must not be before start_time")
    return begin, finish


class EventChanges(TypedDict, total=False):
    """The editable fields of an event; None clears description, location or recurrence. An all-day event's
    times are dates (its first and last day)."""

    title: str
    description: str | None
    location: str | None
    start_time: datetime | date
    end_time: datetime | date
    time_zone: str
    all_day: bool
    recurrence: str | None


@dataclass(frozen=True, slots=True)
class Event:
    """Something on the owner's calendar, once or recurring; times are UTC instants."""

    id: UUID
    owner_id: UUID
    title: str
    description: str | None
    location: str | None
    start_time: datetime
    end_time: datetime
    time_zone: str
    all_day: bool
    recurrence: str | None
    recurrence_until: datetime | None  # end of the last occurrence; None when endless or single
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None

    @classmethod
    def create(
        cls, *, id: UUID, owner_id: UUID, title: object, start_time: object, end_time: object,
        time_zone: object, now: datetime, all_day: object = False, description: object = None,
        location: object = None, recurrence: object = None,
    ) -> "Event":
        title = _text("title", title, TITLE_MAX, required=True)
        zone = check_time_zone(time_zone)
        start, end = event_span(start_time, end_time, all_day=bool(all_day), time_zone=zone)
        return cls(
            id=id, owner_id=owner_id, title=title or "",
            description=_text("description", description, DESCRIPTION_MAX, multiline=True),
            location=_text("location", location, LOCATION_MAX),
            start_time=start, end_time=end, time_zone=zone, all_day=bool(all_day),
            recurrence=normalize_recurrence(recurrence), recurrence_until=None,
            created_at=now, updated_at=now,
        )

    def edit(self, *, now: datetime, **changes: Unpack[EventChanges]) -> "Event":
        """Return the event with the given editable fields changed and every rule checked again."""
        refuse_unknown(changes, EventChanges)
        start: datetime | date = self.start_time
        end: datetime | date = self.end_time
        if self.all_day:  # as an all-day event's create takes them: its first and last day
            zone = ZoneInfo(self.time_zone)
            start = self.start_time.astimezone(zone).date()
            end = self.end_time.astimezone(zone).date() - timedelta(days=1)
        edited = Event.create(
            id=self.id, owner_id=self.owner_id, now=now, title=changes.get("title", self.title),
            start_time=changes.get("start_time", start), end_time=changes.get("end_time", end),
            time_zone=changes.get("time_zone", self.time_zone), all_day=changes.get("all_day", self.all_day),
            description=changes.get("description", self.description), location=changes.get("location", self.location),
            recurrence=changes.get("recurrence", self.recurrence),
        )
        return replace(edited, created_at=self.created_at)

    def timing_differs(self, other: "Event") -> bool:
        """True if the occurrences start at other instants (reminders must be recomputed)."""
        return (self.start_time, self.time_zone, self.recurrence) != (
            other.start_time, other.time_zone, other.recurrence)

    def with_last_start(self, last_start: datetime | None) -> "Event":
        """Record where the series ends, given its last occurrence's start (None: endless)."""
        until = None if last_start is None else self.occurrence_end(last_start)
        return replace(self, recurrence_until=until)

    def occurrence_end(self, start: datetime) -> datetime:
        """The end of the occurrence starting at `start`: the same wall-clock length in the event's zone."""
        zone = ZoneInfo(self.time_zone)

        def wall(instant: datetime) -> datetime:
            return instant.astimezone(zone).replace(tzinfo=None)

        length = wall(self.end_time) - wall(self.start_time)
        return (wall(start) + length).replace(tzinfo=zone).astimezone(UTC)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def delete(self, now: datetime) -> "Event":
        return self if self.is_deleted else replace(self, deleted_at=now, updated_at=now)

    def restore(self, now: datetime) -> "Event":
        """Undo a delete within 30 days; later the event is gone for good."""
        if self.deleted_at is None:
            return self
        if now - self.deleted_at > RESTORE_WINDOW:
            raise EventNotFound()
        return replace(self, deleted_at=None, updated_at=now)
