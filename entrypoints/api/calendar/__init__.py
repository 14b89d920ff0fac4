"""Routes of the calendar context."""

from entrypoints.api.calendar.events import router

__all__ = ["router"]
