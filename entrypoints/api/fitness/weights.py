"""Routes on the caller's weigh-ins: one a day, a second for a day replaces the first."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from application.fitness.profiles import ListWeights, RecordWeight
from domain.fitness.expenditure import WEIGHT_KG
from domain.fitness.plans import WeightRecord
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.fitness.fields import Limit
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, IsoDate, Page, Strict
from entrypoints.container.fitness import Fitness

router = APIRouter(prefix="/api/v1", tags=["fitness"], route_class=PrefixRoute)

Day = Annotated[IsoDate, Field(description="from 1900-01-01 to today, in the account's time zone")]


class WeightIn(Strict):
    date: Day
    weight_kg: Annotated[float, Field(strict=True, ge=WEIGHT_KG[0], le=WEIGHT_KG[1])]


class WeightOut(BaseModel):
    id: UUID
    date: date
    weight_kg: float
    created_at: datetime
    updated_at: datetime


class WeightPage(Page[WeightOut]):
    pass


def weight_out(r: WeightRecord) -> WeightOut:
    return WeightOut(id=r.id, date=r.entry.day, weight_kg=r.entry.weight_kg, created_at=r.created_at,
                     updated_at=r.updated_at)


@router.post("/weight-entries", status_code=201, response_model=WeightOut, responses=responses(401, 422))
async def record_weight(body: WeightIn, caller: Caller, record: RecordWeight = use(Fitness.record_weight)) -> WeightOut:
    """Record a day's weigh-in; a second for the same day replaces the weight (and keeps the id)."""
    return weight_out(await record(caller.account_id, day=body.date, weight_kg=body.weight_kg))


@router.get("/weight-entries", response_model=WeightPage, responses=responses(401, 422))
async def list_weights(caller: Caller, cursor: Cursor = None, limit: Limit = 50,
                       list_: ListWeights = use(Fitness.list_weights)) -> WeightPage:
    """Your weigh-ins, newest day first."""
    page = await list_(caller.account_id, cursor=cursor, limit=limit)
    return WeightPage(items=[weight_out(r) for r in page.items], next_cursor=page.next_cursor)


