"""Routes on the secret feed URL: issue or rotate it, revoke it, and the feed itself (no header needed)."""

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from application.calendar import feed, ical
from entrypoints.api.calendar.ical import ICS
from entrypoints.api.dependencies import LiveSession, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import no_content
from entrypoints.container.calendar import Calendar

router = APIRouter(prefix="/api/v1", tags=["calendar"], route_class=PrefixRoute)


class FeedOut(BaseModel):
    url: str = Field(description="subscribe a calendar app to this URL; it works without a header until revoked")
    token: str
    created_at: datetime


@router.post("/calendar-feed", status_code=201, response_model=FeedOut, responses=responses(401))
async def issue_calendar_feed(request: Request, caller: LiveSession,
                              issue: feed.IssueCalendarFeed = use(Calendar.issue_calendar_feed)) -> FeedOut:
    """Create the secret feed URL, or rotate it (the previous URL stops working); shown once."""
    issued = await issue(caller.account_id)
    url = _public_base(request) + request.app.url_path_for("calendar_feed", token=issued.token)
    return FeedOut(url=url, token=issued.token, created_at=issued.feed.created_at)


def _public_base(request: Request) -> str:
    """ATRIUM_PUBLIC_URL, else the address this server listens on: never the request's Host header."""
    configured: str | None = request.app.state.container.settings().public_url
    if configured:
        return configured
    scheme = request.scope.get("scheme", "http")
    host, port = request.scope.get("server") or ("127.0.0.1", None)
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" + ("" if port in (None, {"http": 80, "https": 443}.get(scheme)) else f":{port}")


@router.delete("/calendar-feed", status_code=204, response_class=Response, responses=responses(401))
async def revoke_calendar_feed(caller: LiveSession,
                               revoke: feed.RevokeCalendarFeed = use(Calendar.revoke_calendar_feed)) -> Response:
    """Revoke the feed URL (nothing to revoke: also 204)."""
    await revoke(caller.account_id)
    return no_content()


@router.get("/calendar-feeds/{token}.ics", name="calendar_feed", response_class=Response, responses={
    200: {"content": {ICS: {}}, "description": "the feed owner's events as iCalendar"}, **responses(404)})
async def calendar_feed(token: Annotated[str, Path(max_length=200)],
                        export: ical.ExportCalendarFeed = use(Calendar.export_calendar_feed)) -> Response:
    """The calendar behind a secret feed token, for calendar apps: no Authorization header needed."""
    return Response(await export(token), media_type=ICS, headers={"Cache-Control": "private, no-store"})
