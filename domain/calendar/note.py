"""Notes on events: markdown text."""

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.shared.errors import InvalidValue, NotFound
from domain.shared.text import normalize_text

BODY_MAX = 10_000


class NoteNotFound(NotFound):
    code = "note_not_found"

    def __init__(self) -> None:
        super().__init__("the note does not exist")


def check_body(value: object) -> str:
    """Return markdown text of 1-10,000 characters (surrounding blank lines dropped)."""
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > BODY_MAX:
        raise InvalidValue("body", f"must be markdown text of 1-{BODY_MAX} characters")
    normalize_text(value, "body", BODY_MAX, multiline=True)
    return value.strip("\r\n")


@dataclass(frozen=True, slots=True)
class Note:
    """A markdown note on one event."""

    id: UUID
    owner_id: UUID
    event_id: UUID
    body: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(cls, *, id: UUID, owner_id: UUID, event_id: UUID, body: object, now: datetime) -> "Note":
        return cls(id=id, owner_id=owner_id, event_id=event_id, body=check_body(body),
                   created_at=now, updated_at=now)

    def edit(self, body: object, now: datetime) -> "Note":
        return replace(self, body=check_body(body), updated_at=now)
