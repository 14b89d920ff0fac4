"""Where an account's webhook reminders go: one URL per owner and the secret that signs each delivery."""

from dataclasses import dataclass
from datetime import datetime
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
        raise InvalidValue("url", f"must be an http(s) URL of at most {URL_MAX} characters, without credentials")
    return text


@dataclass(frozen=True, slots=True)
class CalendarWebhook:
    """The owner's webhook: every delivery is POSTed to `url`, signed with HMAC-SHA256 under `secret`."""

    owner_id: UUID
    url: str
    secret: str
    created_at: datetime

    def __repr__(self) -> str:
        return f"CalendarWebhook(owner_id={self.owner_id!r}, url={self.url!r})"
