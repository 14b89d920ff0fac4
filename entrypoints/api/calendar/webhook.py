"""Routes on the webhook that `webhook` reminders are delivered to."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from application.calendar import webhooks
from domain.calendar.webhook import URL_MAX, CalendarWebhook
from entrypoints.api.dependencies import Caller, LiveSession, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Strict, no_content
from entrypoints.container.calendar import Calendar

router = APIRouter(prefix="/api/v1", tags=["calendar"], route_class=PrefixRoute)


class WebhookIn(Strict):
    url: Annotated[str, Field(min_length=1, max_length=URL_MAX, examples=["https://example.com/hooks/atrium"])]


class WebhookOut(BaseModel):
    url: str
    secret: str = Field(description="verify X-Atrium-Signature: sha256=<hex HMAC-SHA256 of the body under this secret>")
    created_at: datetime


def _webhook(webhook: CalendarWebhook) -> WebhookOut:
    return WebhookOut(url=webhook.url, secret=webhook.secret, created_at=webhook.created_at)


@router.put("/calendar-webhook", response_model=WebhookOut, responses=responses(401, 422))
async def set_calendar_webhook(body: WebhookIn, caller: LiveSession,
                               set_: webhooks.SetCalendarWebhook = use(Calendar.set_calendar_webhook)) -> WebhookOut:
    """Send `webhook` reminders to this URL, signed with a new secret: each delivery is a JSON POST with
    `X-Atrium-Signature: sha256=<hex HMAC-SHA256 of the body>` and a stable `X-Atrium-Delivery` id."""
    return _webhook(await set_(caller.account_id, url=body.url))


@router.get("/calendar-webhook", response_model=WebhookOut, responses=responses(401, 404))
async def get_calendar_webhook(caller: Caller,
                               get: webhooks.GetCalendarWebhook = use(Calendar.get_calendar_webhook)) -> WebhookOut:
    """The webhook URL and its signing secret."""
    return _webhook(await get(caller.account_id))


@router.delete("/calendar-webhook", status_code=204, response_class=Response, responses=responses(401, 404))
async def remove_calendar_webhook(caller: LiveSession, remove: webhooks.RemoveCalendarWebhook = use(
        Calendar.remove_calendar_webhook)) -> Response:
    """Stop webhook deliveries; pending webhook reminders then fail."""
    await remove(caller.account_id)
    return no_content()
