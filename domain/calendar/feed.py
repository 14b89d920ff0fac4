"""The secret calendar-feed URL of an account: one per owner, stored as a hash."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.shared.errors import NotFound

FEED_TOKEN_PREFIX = "cal_"


class CalendarFeedNotFound(NotFound):
    code = "calendar_feed_not_found"

    def __init__(self) -> None:
        super().__init__("no calendar feed has this token")


@dataclass(frozen=True, slots=True)
class CalendarFeed:
    """Lets whoever holds the token read the owner's calendar without logging in."""

    id: UUID
    owner_id: UUID
    token_hash: str
    created_at: datetime
