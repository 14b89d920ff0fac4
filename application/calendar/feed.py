"""Use cases on the secret calendar-feed URL (ExportCalendarFeed in ical.py serves it)."""

import secrets
from dataclasses import dataclass
from uuid import UUID

from application.calendar.ports import CalendarUnitOfWork
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.unit_of_work import UowFactory
from domain.calendar.feed import FEED_TOKEN_PREFIX, CalendarFeed
from domain.identity.session import hash_secret


@dataclass(frozen=True, slots=True)
class IssuedFeed:
    """The feed and its token, shown once: only its hash is stored."""

    feed: CalendarFeed
    token: str


@dataclass
class IssueCalendarFeed:
    """Create the owner's feed token, or rotate it: the previous token stops working."""

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock
    ids: IdGenerator

    async def __call__(self, owner_id: UUID) -> IssuedFeed:
        token = FEED_TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            current = await uow.calendar_feeds.get(owner_id)
            feed = CalendarFeed(id=current.id if current else self.ids.new_id(), owner_id=owner_id,
                                token_hash=hash_secret(token), created_at=now)
            await uow.calendar_feeds.save(feed)
            await uow.commit()
        return IssuedFeed(feed, token)


@dataclass
class RevokeCalendarFeed:
    """Stop the owner's feed URL from working; nothing happens if there is none."""

    uow: UowFactory[CalendarUnitOfWork]

    async def __call__(self, owner_id: UUID) -> None:
        async with self.uow(account=owner_id) as uow:
            if await uow.calendar_feeds.remove(owner_id):
                await uow.commit()

