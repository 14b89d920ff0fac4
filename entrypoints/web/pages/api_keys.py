"""API key pages: create (the secret shown once, with a copy button), roll, revoke; usage per key and day as a
chart with its table; the gallery of generated images."""

import asyncio
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from fastapi import Request, Response
from markupsafe import Markup

from application.identity.api_keys import IssuedApiKey
from application.identity.ports import AccessClaims
from domain.identity.api_key import ApiKey
from domain.identity.usage import DailyUsage
from domain.shared.errors import DomainError
from entrypoints.web.charts import Series, stacked_bar_chart
from entrypoints.web.fields import whole_number
from entrypoints.web.page_route import page_router
from entrypoints.web.rendering import Session, container, form_failed, form_values, redirect, render

router = page_router()
TABS = (("Keys and usage", "/api-keys"), ("Images", "/api-keys/images"))
GRACES = (("0", "at once"), ("3600", "in an hour"), ("86400", "in a day"))
USAGE_DAYS = 30
GALLERY_PAGE = 24


async def _keys_page(request: Request, session: Session, *, issued: IssuedApiKey | None = None,
                     error: DomainError | None = None, values: dict[str, str] | None = None) -> Response:
    built = container(request)
    today = built.infrastructure.clock().now().date()
    keys, usage = await asyncio.gather(
        built.identity.list_api_keys()(session.account_id),
        built.identity.get_usage()(session.account_id, start=today - timedelta(days=USAGE_DAYS - 1), end=today))
    context: dict[str, Any] = {"keys": keys, "issued": issued, "graces": GRACES, "values": values or {},
                               "chart": usage_chart(keys, usage.items, today), "today_usage": usage.today,
                               "tabs": TABS, "module_name": "API keys"}
    if error is not None:
        return form_failed(request, "api_keys/keys.html", error, **context)
    return render(request, "api_keys/keys.html", **context)


def usage_chart(keys: list[ApiKey], items: list[DailyUsage], today: date) -> Markup:
    """Units spent per UTC day over the last USAGE_DAYS days, one stacked segment per key."""
    days = [today - timedelta(days=n) for n in range(USAGE_DAYS - 1, -1, -1)]
    used: dict[UUID, dict[date, int]] = {}
    for item in items:
        used.setdefault(item.api_key_id, {})[item.usage_date] = item.used
    names = {key.id: f"{key.name} ({key.prefix}…)" for key in keys}
    series = [Series(names.get(key_id, "a deleted key"), [per_day.get(day, 0) for day in days])
              for key_id, per_day in used.items()]
    return stacked_bar_chart("Units used per day (UTC)", [day.strftime("%d %b") for day in days], series,
                             description=f"The last {USAGE_DAYS} days, one segment per key.", label_heading="Day")


async def _live(request: Request, session: Session) -> None:
    """Creating and rolling keys check the session in the database first, as the API's do."""
    await container(request).identity.require_live_session()(
        AccessClaims(account_id=session.account_id, session_id=session.session_id))


@router.get("/api-keys")
async def keys(request: Request, session: Session) -> Response:
    """The account's keys, the form to create one, and the usage chart."""
    return await _keys_page(request, session)


@router.post("/api-keys")
async def create_key(request: Request, session: Session) -> Response:
    """Issue a key and show its secret this once."""
    values = await form_values(request)
    try:
        await _live(request, session)
        quota = whole_number(values, "daily_quota") if values.get("daily_quota") else None
        issued = await container(request).identity.create_api_key()(session.account_id, name=values.get("name", ""),
                                                                    daily_quota=quota)
    except DomainError as error:
        return await _keys_page(request, session, error=error, values=values)
    return await _keys_page(request, session, issued=issued)


@router.post("/api-keys/{key_id:uuid}/roll")
async def roll_key(request: Request, session: Session, key_id: UUID) -> Response:
    """A new secret for the key, shown this once; the old one works for the grace chosen."""
    values = await form_values(request)
    try:
        await _live(request, session)
        issued = await container(request).identity.roll_api_key()(
            session.account_id, key_id, grace_seconds=whole_number(values, "grace_seconds", default=0))
    except DomainError as error:
        return await _keys_page(request, session, error=error)
    return await _keys_page(request, session, issued=issued)


@router.post("/api-keys/{key_id:uuid}/revoke")
async def revoke_key(request: Request, session: Session, key_id: UUID) -> Response:
    """Revoke the key for good."""
    await container(request).identity.revoke_api_key()(session.account_id, key_id)
    return redirect("/api-keys")


@router.get("/api-keys/images")
async def gallery(request: Request, session: Session) -> Response:
    """The images the account's keys generated, newest first."""
    page = await container(request).imaging.list_generations()(
        session.account_id, limit=GALLERY_PAGE, cursor=request.query_params.get("cursor") or None)
    return render(request, "api_keys/gallery.html", images=page.items, next_cursor=page.next_cursor, tabs=TABS,
                  module_name="API keys")


@router.get("/api-keys/images/{image_id:uuid}")
async def image(request: Request, session: Session, image_id: UUID) -> Response:
    """One of the account's images, for the gallery's <img>."""
    found = await container(request).imaging.get_image()(session.account_id, image_id)
    return Response(found.data, media_type=found.content_type, headers={"Cache-Control": "private, max-age=86400"})
