"""The webhook notifier: POSTs each reminder as JSON to the owner's URL, signed with the owner's secret."""

import hashlib
import hmac
import json
from datetime import datetime
from typing import final

import httpx

from application.calendar.ports import CalendarUnitOfWork, HostResolver, Notifier, ReminderMessage
from application.calendar.webhooks import webhook_addresses
from application.shared.unit_of_work import UowFactory
from application.shared.errors import UpstreamFailed
from domain.shared.errors import InvalidValue

SIGNATURE_HEADER = "X-Atrium-Signature"
DELIVERY_HEADER = "X-Atrium-Delivery"
NO_ADDRESS = "the webhook's host has no address a webhook may reach"  # unresolved and refused alike


def signature(secret: str, body: bytes) -> str:
    """The signature header's value: `sha256=` and the hex HMAC-SHA256 of the exact body bytes."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def payload(message: ReminderMessage) -> bytes:
    def instant(value: datetime | None) -> str | None:
        return None if value is None else value.isoformat()

    return json.dumps({
        "type": "reminder.due", "delivery_id": message.key, "reminder_id": str(message.reminder_id),
        "event_id": str(message.event_id), "title": message.title, "location": message.location,
        "occurrence_start": instant(message.occurrence_start), "occurrence_end": instant(message.occurrence_end),
        "time_zone": message.time_zone, "all_day": message.all_day, "due_at": instant(message.due_at),
        "summary": message.summary(),
    }, separators=(",", ":")).encode()


@final
class WebhookNotifier(Notifier):
    """Delivered means a 2xx answer within `timeout`; `X-Atrium-Delivery` repeats on retries so receivers can dedupe.

    The host is resolved once per delivery and the request goes to an address that was checked (private,
    loopback and link-local ones are refused unless `allow_private_networks`), with the URL's host in the Host
    header and as the TLS server name: a DNS answer that changes between the check and the connection (DNS
    rebinding) cannot redirect it. Proxies from the environment are not used, for the same reason.
    """

    def __init__(self, uow: UowFactory[CalendarUnitOfWork], resolver: HostResolver, *, timeout: float,
                 allow_private_networks: bool = False, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._uow, self._resolver, self._timeout = uow, resolver, timeout
        self._allow_private, self._transport = allow_private_networks, transport

    async def deliver(self, message: ReminderMessage) -> None:
        async with self._uow(account=message.owner_id) as uow:
            webhook = await uow.calendar_webhooks.get(message.owner_id)
        if webhook is None:
            raise UpstreamFailed("no webhook is set for this account")
        try:
            addresses = await webhook_addresses(webhook.url, self._resolver,
                                                allow_private_networks=self._allow_private)
        except InvalidValue:
            raise UpstreamFailed(NO_ADDRESS) from None
        body = payload(message)
        url = httpx.URL(webhook.url)
        headers = {"Host": url.netloc.decode("ascii"), "Content-Type": "application/json",
                   "User-Agent": "Atrium-Webhooks/1", SIGNATURE_HEADER: signature(webhook.secret, body),
                   DELIVERY_HEADER: message.key}
        try:
            async with httpx.AsyncClient(timeout=self._timeout, follow_redirects=False, trust_env=False,
                                         transport=self._transport) as client:
                response = await _post_to_first(client, url, addresses, body, headers)
        except httpx.TimeoutException:
            raise UpstreamFailed(f"the webhook did not answer within {self._timeout:g} s") from None
        except httpx.HTTPError as error:
            raise UpstreamFailed(f"the webhook is unreachable ({type(error).__name__})") from None
        if not response.is_success:
            raise UpstreamFailed(f"the webhook answered {response.status_code}")


async def _post_to_first(client: httpx.AsyncClient, url: httpx.URL, addresses: list[str], body: bytes,
                         headers: dict[str, str]) -> httpx.Response:
    """POST to the first of the checked addresses that accepts a connection."""
    for address in addresses[:-1]:
        try:
            return await _post(client, url, address, body, headers)
        except httpx.ConnectError:
            continue
    return await _post(client, url, addresses[-1], body, headers)


async def _post(client: httpx.AsyncClient, url: httpx.URL, address: str, body: bytes,
                headers: dict[str, str]) -> httpx.Response:
    return await client.post(url.copy_with(host=address), content=body, headers=headers,
                             extensions={"sni_hostname": url.raw_host.decode("ascii")})
