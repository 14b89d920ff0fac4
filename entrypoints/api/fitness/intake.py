"""Routes on the caller's daily intake: one log a day, a second for a day replaces the first."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from application.fitness.profiles import ListIntakes, RecordIntake
from domain.fitness.expenditure import INTAKE_KCAL, INTAKE_PROTEIN_G
from domain.fitness.plans import IntakeRecord
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.fitness.fields import Limit
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, IsoDate, Page, Strict
from entrypoints.container.fitness import Fitness

router = APIRouter(prefix="/api/v1", tags=["fitness"], route_class=PrefixRoute)

Day = Annotated[IsoDate, Field(description="from 1900-01-01 to today, in the account's time zone")]


class IntakeIn(Strict):
    date: Day
    kcal: Annotated[float, Field(strict=True, ge=INTAKE_KCAL[0], le=INTAKE_KCAL[1])]
    protein_g: Annotated[float | None, Field(strict=True, ge=INTAKE_PROTEIN_G[0], le=INTAKE_PROTEIN_G[1])] = None


class IntakeOut(BaseModel):
    id: UUID
    date: date
    kcal: float
    protein_g: float | None
    created_at: datetime
    updated_at: datetime


class IntakePage(Page[IntakeOut]):
    pass


def intake_out(r: IntakeRecord) -> IntakeOut:
    return IntakeOut(id=r.id, date=r.entry.day, kcal=r.entry.kcal, protein_g=r.entry.protein_g,
                     created_at=r.created_at, updated_at=r.updated_at)


@router.post("/intake-logs", status_code=201, response_model=IntakeOut, responses=responses(401, 422))
async def record_intake(body: IntakeIn, caller: Caller, record: RecordIntake = use(Fitness.record_intake)) -> IntakeOut:
    """Record what you ate in a day (kcal, and protein when you know it); a second for the same day replaces it."""
    return intake_out(await record(caller.account_id, day=body.date, kcal=body.kcal, protein_g=body.protein_g))


@router.get("/intake-logs", response_model=IntakePage, responses=responses(401, 422))
async def list_intakes(caller: Caller, cursor: Cursor = None, limit: Limit = 50,
                       list_: ListIntakes = use(Fitness.list_intakes)) -> IntakePage:
    """Your intake logs, newest day first."""
    page = await list_(caller.account_id, cursor=cursor, limit=limit)
    return IntakePage(items=[intake_out(r) for r in page.items], next_cursor=page.next_cursor)
