"""Occurrences of events and the window query that lists them."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.calendar.event import Event, TITLE_MAX
from domain.shared.errors import InvalidValue
from domain.shared.text import normalize_text

OccurrenceKey = tuple[datetime, UUID]  # (start, event id): the listing order, unique per occurrence


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One time an event happens; a single event has exactly one, at its own start."""

    event: Event
    start: datetime
    end: datetime

    @property
    def series_id(self) -> UUID | None:
        return self.event.id if self.event.recurrence else None

    @property
    def key(self) -> OccurrenceKey:
        return (self.start, self.event.id)


@dataclass(frozen=True, slots=True)
class EventQuery:
    """Live events meeting the window [window_from, window_to) (no end: unbounded) and the text."""

    window_from: datetime
    window_to: datetime | None = None
    text: str | None = None

    def __post_init__(self) -> None:
        if self.window_to is not None and self.window_to <= self.window_from:
            raise InvalidValue("to", "must be after from")
        normalize_text(self.text, "q", TITLE_MAX)

    def meets(self, start: datetime, end: datetime) -> bool:
        """True if the span starts inside the window or runs across its beginning."""
        before_end = self.window_to is None or start < self.window_to
        return before_end and (end > self.window_from or start >= self.window_from)

    def matches_text(self, event: Event) -> bool:
        """Case-insensitive substring of the title, description or location (SQL: ILIKE)."""
        if not self.text:
            return True
        needle = self.text.lower()
        return any(needle in (value or "").lower() for value in (event.title, event.description, event.location))
