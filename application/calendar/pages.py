"""Cursor pagination: opaque cursors over keyset positions, pages of `limit` items."""

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from uuid import UUID

from domain.calendar.occurrence import OccurrenceKey
from domain.shared.dates import MAX_DATE, MIN_DATE
from domain.shared.errors import InvalidValue

T = TypeVar("T")
LIMIT_MAX = 200
_SEPARATOR = "|"


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= LIMIT_MAX:
        raise InvalidValue("limit", f"must be from 1 to {LIMIT_MAX}")
    return limit


def page_of(rows: Sequence[T], limit: int, position: Callable[[T], tuple[object, ...]]) -> Page[T]:
    """A page from up to limit + 1 rows; the extra row only tells that another page exists."""
    items = list(rows[:limit])
    more = len(rows) > limit
    return Page(items, _encode(position(items[-1])) if more else None)


def _encode(parts: tuple[object, ...]) -> str:
    text = _SEPARATOR.join(p.isoformat() if isinstance(p, datetime) else str(p) for p in parts)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(cursor: str, count: int) -> list[str]:
    try:
        parts = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(_SEPARATOR)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        parts = []
    if len(parts) != count:
        raise InvalidValue("cursor", "is not a cursor returned by this list")
    return parts


def cursor_id(cursor: str | None) -> UUID | None:
    """The id position of a cursor made by `page_of(..., lambda row: (row.id,))`."""
    if cursor is None:
        return None
    try:
        return UUID(_decode(cursor, 1)[0])
    except ValueError:
        raise InvalidValue("cursor", "is not a cursor returned by this list") from None


def cursor_occurrence(cursor: str | None) -> OccurrenceKey | None:
    """The (start, event id) position of an occurrence cursor."""
    if cursor is None:
        return None
    start, event_id = _decode(cursor, 2)
    try:
        instant = datetime.fromisoformat(start)
        if instant.utcoffset() is None or not MIN_DATE.year - 1 <= instant.year <= MAX_DATE.year + 1:
            raise ValueError
        return instant, UUID(event_id)
    except ValueError:
        raise InvalidValue("cursor", "is not a cursor returned by this list") from None
