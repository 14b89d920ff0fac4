"""The webhook notifier: POSTs each reminder as JSON to the owner's URL, signed with the owner's secret."""

import asyncio
import hashlib
import hmac
import json
from collections.abc import Callable
from ipaddress import ip_address
from urllib.parse import urlsplit

import httpx

from application.calendar.ports import CalendarUnitOfWork, ReminderMessage
from application.shared.errors import UpstreamFailed

SIGNATURE_HEADER = "X-Atrium-Signature"
DELIVERY_HEADER = "X-Atrium-Delivery"


def signature(secret: str, body: bytes) -> str:
    """The signature header's value: `sha256=` and the hex HMAC-SHA256 of the exact body bytes."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(message: ReminderMessage) -> bytes:
    def instant(value):
        return None if value is None else value.isoformat()

    return json.dumps({
        "type": "reminder.due", "delivery_id": message.key, "reminder_id": str(message.reminder_id),
        "event_id": str(message.event_id), "title": message.title, "location": message.location,
        "occurrence_start": instant(message.occurrence_start), "occurrence_end": instant(message.occurrence_end),
        "time_zone": message.time_zone, "all_day": message.all_day, "due_at": instant(message.due_at),
        "summary": message.summary(),
    }, separators=(",", ":")).encode()


class WebhookNotifier:
    """Delivered means a 2xx answer within `timeout`; `X-Atrium-Delivery` repeats on retries so receivers can dedupe.

    Private, loopback and link-local destinations are refused unless `allow_private_networks`.
    """

    def __init__(self, uow: Callable[[], CalendarUnitOfWork], *, timeout: float,
                 allow_private_networks: bool = False) -> None:
        self._uow, self._timeout, self._allow_private = uow, timeout, allow_private_networks

    async def deliver(self, message: ReminderMessage) -> None:
        async with self._uow() as uow:
            webhook = await uow.calendar_webhooks.get(message.owner_id)
        if webhook is None:
            raise UpstreamFailed("no webhook is set for this account")
        if not self._allow_private:
            await _refuse_private(webhook.url)
        body = payload(message)
        headers = {"Content-Type": "application/json", "User-Agent": "Atrium-Webhooks/1",
                   SIGNATURE_HEADER: signature(webhook.secret, body), DELIVERY_HEADER: message.key}
        try:
            async with httpx.AsyncClient(timeout=self._timeout, follow_redirects=False) as client:
                response = await client.post(webhook.url, content=body, headers=headers)
        except httpx.TimeoutException:
            raise UpstreamFailed(f"the webhook did not answer within {self._timeout:g} s") from None
        except httpx.HTTPError as error:
            raise UpstreamFailed(f"the webhook is unreachable ({type(error).__name__})") from None
        if not response.is_success:
            raise UpstreamFailed(f"the webhook answered {response.status_code}")


async def _refuse_private(url: str) -> None:
    parts = urlsplit(url)
    try:
        found = await asyncio.get_running_loop().getaddrinfo(parts.hostname, parts.port or 443)
    except OSError:
        raise UpstreamFailed(f"the webhook host {parts.hostname} does not resolve") from None
    for *_, address in found:
        ip = ip_address(address[0])
        if not ip.is_global or ip.is_multicast:
            raise UpstreamFailed("the webhook points at a private or local address")
