"""Where an account's webhook reminders go: one URL per owner and the secret that signs each delivery."""

from dataclasses import dataclass
from datetime import datetime
from ipaddress import ip_address, ip_network
from urllib.parse import urlsplit
from uuid import UUID

from domain.shared.errors import Conflict, InvalidValue, NotFound

URL_MAX = 2_000
WEBHOOK_SECRET_PREFIX = "whsec_"


class CalendarWebhookNotFound(NotFound):
    code = "calendar_webhook_not_found"

    def __init__(self) -> None:
        super().__init__("no webhook is set for reminders")


class WebhookNotConfigured(Conflict):
    code = "webhook_not_configured"

    def __init__(self) -> None:
        super().__init__("set a webhook first: PUT /api/v1/calendar-webhook")


class ChannelUnavailable(Conflict):
    code = "channel_unavailable"

    def __init__(self, channel: str) -> None:
        super().__init__(f"this server does not deliver reminders by {channel}")


# One message for every refused URL: it never tells whether a host name resolves, or to what.
URL_RULE = f"must be an http(s) URL of at most {URL_MAX} characters, without credentials, on a public host"
_NAT64 = ip_network("64:ff9b::/96")


def check_webhook_url(value: object) -> str:
    """Return an absolute http(s) URL of at most 2,000 characters, without credentials."""
    text = value.strip() if isinstance(value, str) else ""
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = None, False
    if (parts is None or not port_ok or parts.scheme not in ("http", "https") or not parts.hostname
            or parts.username or parts.password or len(text) > URL_MAX):
        raise InvalidValue("url", URL_RULE)
    return text


def is_public_address(address: str) -> bool:
    """True for a global unicast IP address: not private, loopback, link-local, multicast, reserved or shared,
    nor an IPv6 form of one of those (IPv4-mapped, NAT64, 6to4, Teredo)."""
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo or (None, None))[1] or (
            ip_address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else None)
        if embedded is not None:
            ip = embedded
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True, slots=True)
class CalendarWebhook:
    """The owner's webhook: every delivery is POSTed to `url`, signed with HMAC-SHA256 under `secret`."""

    owner_id: UUID
    url: str
    secret: str
    created_at: datetime

    def __repr__(self) -> str:
        return f"CalendarWebhook(owner_id={self.owner_id!r}, url={self.url!r})"
