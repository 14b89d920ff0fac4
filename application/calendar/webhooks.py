"""Use cases on the owner's webhook, where `webhook` reminders are POSTed."""

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit
from uuid import UUID

from application.calendar.ports import CalendarUnitOfWork, HostResolver
from application.shared.clock import Clock
from application.shared.unit_of_work import UowFactory
from domain.calendar.webhook import (
    URL_RULE, WEBHOOK_SECRET_PREFIX, CalendarWebhook, CalendarWebhookNotFound, check_webhook_url, is_public_address,
)
from domain.shared.errors import InvalidValue



async def webhook_addresses(url: str, resolver: HostResolver, *, allow_private_networks: bool) -> list[str]:
    """The addresses of `url`'s host a webhook may connect to: the public ones, or all of them when private
    networks are allowed. InvalidValue("url", URL_RULE) when there is none, whatever the reason."""
    parts = urlsplit(check_webhook_url(url))
    if parts.hostname is None:  # check_webhook_url refuses a URL without a host
        raise InvalidValue("url", URL_RULE)
    addresses = await resolver.resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    allowed = [address for address in addresses if allow_private_networks or is_public_address(address)]
    if not allowed:
        raise InvalidValue("url", URL_RULE)
    return allowed


@dataclass
class SetCalendarWebhook:
    """Point webhook reminders at `url` with a new signing secret (the previous secret stops signing).

    The URL's host must resolve to a public address (any address when private networks are allowed)."""

    uow: UowFactory[CalendarUnitOfWork]
    clock: Clock
    resolver: HostResolver
    allow_private_networks: bool = False

    async def __call__(self, owner_id: UUID, *, url: str) -> CalendarWebhook:
        url = check_webhook_url(url)
        await webhook_addresses(url, self.resolver, allow_private_networks=self.allow_private_networks)
        secret = WEBHOOK_SECRET_PREFIX + secrets.token_urlsafe(32)
        webhook = CalendarWebhook(owner_id=owner_id, url=url, secret=secret, created_at=self.clock.now())
        async with self.uow(account=owner_id) as uow:
            await uow.calendar_webhooks.save(webhook)
            await uow.commit()
        return webhook


@dataclass
class GetCalendarWebhook:
    """The owner's webhook and its secret (CalendarWebhookNotFound when none is set)."""

    uow: UowFactory[CalendarUnitOfWork]

    async def __call__(self, owner_id: UUID) -> CalendarWebhook:
        async with self.uow(account=owner_id) as uow:
            webhook = await uow.calendar_webhooks.get(owner_id)
        if webhook is None:
            raise CalendarWebhookNotFound()
        return webhook


@dataclass
class RemoveCalendarWebhook:
    """Stop webhook deliveries: pending webhook reminders then fail (CalendarWebhookNotFound when none is set)."""

    uow: UowFactory[CalendarUnitOfWork]

    async def __call__(self, owner_id: UUID) -> None:
        async with self.uow(account=owner_id) as uow:
            if not await uow.calendar_webhooks.remove(owner_id):
                raise CalendarWebhookNotFound()
            await uow.commit()
