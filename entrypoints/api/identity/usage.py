"""Routes on metered usage: units used per API key per UTC day, and what each key has left today."""

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from application.identity.usage import GetUsage
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import IsoDate, Page
from entrypoints.container.identity import Identity

router = APIRouter(prefix="/api/v1", tags=["api-keys"], route_class=PrefixRoute)


class DailyUsageOut(BaseModel):
    api_key_id: UUID
    date: date
    used: int
    quota: int


class KeyTodayOut(BaseModel):
    api_key_id: UUID
    name: str
    date: date
    used: int
    quota: int
    remaining: int


class UsageOut(Page[DailyUsageOut]):
    today: list[KeyTodayOut] = Field(description="today's (UTC) use of every usable key")


@router.get("/usage", response_model=UsageOut, tags=["usage"], responses=responses(401, 404, 422))
async def usage(
    caller: Caller,
    start: Annotated[IsoDate | None, Query(alias="from", description="first UTC day; default: 29 days before `to`")] = None,
    end: Annotated[IsoDate | None, Query(alias="to", description="last UTC day, inclusive; default: today")] = None,
    api_key_id: UUID | None = None,
    get_usage: GetUsage = use(Identity.get_usage),
) -> UsageOut:
    """Units used per key per UTC day (at most 366 days), and what each usable key has left today."""
    report = await get_usage(caller.account_id, start=start, end=end, api_key_id=api_key_id)
    return UsageOut(
        next_cursor=None,
        items=[DailyUsageOut(api_key_id=u.api_key_id, date=u.usage_date, used=u.used, quota=u.quota)
               for u in report.items],
        today=[KeyTodayOut(api_key_id=k.api_key_id, name=k.name, date=k.date, used=k.used, quota=k.quota,
                           remaining=k.remaining) for k in report.today],
    )
