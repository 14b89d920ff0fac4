"""Form text to values, each refusal an InvalidValue naming the field (shown beside it, as the API's rules are)."""

from datetime import date, datetime
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.shared.errors import InvalidValue


def optional(values: dict[str, str], name: str) -> str | None:
    """The field's text, None when empty."""
    return values.get(name) or None


def day(values: dict[str, str], name: str, *, required: bool = True) -> date | None:
    """A YYYY-MM-DD field (a datetime-local value's date part too)."""
    text = values.get(name, "")
    if not text:
        if required:
            raise InvalidValue(name, "is required")
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidValue(name, "must be a date like 2026-03-16") from None


def local_time(values: dict[str, str], name: str, zone: str) -> datetime:
    """A datetime-local field (2026-03-16T09:00) read as wall-clock time in `zone`."""
    text = values.get(name, "")
    if not text:
        raise InvalidValue(name, "is required")
    try:
        wall = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidValue(name, "must be a date and time like 2026-03-16T09:00") from None
    if wall.tzinfo is not None:
        return wall
    try:
        return wall.replace(tzinfo=ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue("time_zone", "is not a known time zone") from None


def whole_number(values: dict[str, str], name: str, *, default: int | None = None) -> int:
    """An integer field."""
    text = values.get(name, "")
    if not text and default is not None:
        return default
    try:
        return int(text)
    except ValueError:
        raise InvalidValue(name, "must be a whole number") from None


def identifier(text: str | None, name: str) -> UUID | None:
    """A UUID field (a select of the owner's things), None when empty."""
    if not text:
        return None
    try:
        return UUID(text)
    except ValueError:
        raise InvalidValue(name, "is not one of the choices") from None


def checked(values: dict[str, str], name: str) -> bool:
    """A checkbox: present (any value) is on."""
    return name in values
