"""Cursor pagination for every list: pages of `limit` items and opaque cursors over keyset positions.

A cursor is URL-safe base64 (no padding) of a JSON array of the position's parts as text. Clients treat it as
opaque: a list reads back only the cursors it wrote, and anything else is one error.
"""

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar
from uuid import UUID

from domain.shared.errors import InvalidValue

T = TypeVar("T")
P = TypeVar("P")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
CURSOR_MAX_LENGTH = 200  # every cursor written here is far shorter; the API publishes the same bound


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def not_a_cursor() -> InvalidValue:
    """The one error for a cursor this list did not write."""
    return InvalidValue("cursor", "is not a cursor returned by this list")


def check_limit(limit: int, maximum: int = MAX_LIMIT) -> int:
    """Return `limit` if it is an int from 1 to `maximum` (a list with smaller pages passes its own)."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= maximum:
        raise InvalidValue("limit", f"must be from 1 to {maximum}")
    return limit


def page_of(rows: Sequence[T], limit: int, position: Callable[[T], tuple[object, ...]]) -> Page[T]:
    """A page from up to limit + 1 rows; the extra row only tells that another page exists."""
    items = list(rows[:limit])
    return Page(items, encode_cursor(position(items[-1])) if len(rows) > limit else None)


def encode_cursor(position: tuple[object, ...]) -> str:
    """The cursor of a keyset position; dates and datetimes are written in ISO 8601, anything else with str()."""
    parts = [part.isoformat() if isinstance(part, date) else str(part) for part in position]
    return base64.urlsafe_b64encode(json.dumps(parts, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, parse: Callable[..., P]) -> P:
    """The position `parse` makes of the cursor's parts (one argument each); any failure is `not_a_cursor()`."""
    try:
        if len(cursor) > CURSOR_MAX_LENGTH:
            raise ValueError("too long")
        parts = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(parts, list) or not all(isinstance(part, str) for part in parts):
            raise ValueError("not a list of strings")
        return parse(*parts)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError, OverflowError, InvalidValue):
        raise not_a_cursor() from None


def cursor_id(cursor: str | None) -> UUID | None:
    """The id position of a cursor made by `page_of(..., lambda row: (row.id,))`; None for no cursor."""
    return None if cursor is None else decode_cursor(cursor, UUID)
