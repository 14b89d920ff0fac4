"""Use cases on the owner's webhook, where `webhook` reminders are POSTed."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from application.calendar.ports import CalendarUnitOfWork
from application.shared.clock import Clock
from domain.calendar.webhook import (
    WEBHOOK_SECRET_PREFIX, CalendarWebhook, CalendarWebhookNotFound, check_webhook_url,
)

UowFactory = Callable[[], CalendarUnitOfWork]


@dataclass
class SetCalendarWebhook:
    """Point webhook reminders at `url` with a new signing secret (the previous secret stops signing)."""

    uow: UowFactory
    clock: Clock

    async def __call__(self, owner_id: UUID, *, url: str) -> CalendarWebhook:
        secret = WEBHOOK_SECRET_PREFIX + secrets.token_urlsafe(32)
        webhook = CalendarWebhook(owner_id=owner_id, url=check_webhook_url(url), secret=secret,
                                  created_at=self.clock.now())
        async with self.uow() as uow:
            await uow.calendar_webhooks.save(webhook)
            await uow.commit()
        return webhook


@dataclass
class GetCalendarWebhook:
    """The owner's webhook and its secret (CalendarWebhookNotFound when none is set)."""

    uow: UowFactory

    async def __call__(self, owner_id: UUID) -> CalendarWebhook:
        async with self.uow() as uow:
            webhook = await uow.calendar_webhooks.get(owner_id)
        if webhook is None:
            raise CalendarWebhookNotFound()
        return webhook


@dataclass
class RemoveCalendarWebhook:
    """Stop webhook deliveries: pending webhook reminders then fail (CalendarWebhookNotFound when none is set)."""

    uow: UowFactory

    async def __call__(self, owner_id: UUID) -> None:
        async with self.uow() as uow:
            if not await uow.calendar_webhooks.remove(owner_id):
                raise CalendarWebhookNotFound()
            await uow.commit()
