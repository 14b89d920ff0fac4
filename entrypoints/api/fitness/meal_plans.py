"""Routes on the caller's meal plans: generate, read, adapt to the current targets, delete."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from application.fitness.meals import AdaptMealPlan, CreateMealPlan, DeleteMealPlan, GetMealPlan, ListMealPlans
from domain.fitness.meals import DAYS, Nutrients
from domain.fitness.plans import MealPlan
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.fitness.fields import Limit, UsageOut, usage_out
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, IsoDate, JsonInteger, Page, Strict, no_content
from entrypoints.container.fitness import Fitness

router = APIRouter(prefix="/api/v1", tags=["fitness"], route_class=PrefixRoute)


class MealPlanIn(Strict):
    days: Annotated[int, Field(ge=DAYS[0], le=DAYS[1]), JsonInteger] = 7
    start_date: IsoDate | None = Field(None, description="default: today in the account's time zone; within a year")


class NutrientsOut(BaseModel):
    kcal: int
    protein_g: int
    carbs_g: int
    fat_g: int


class ItemOut(BaseModel):
    food_id: str
    name: str
    grams: int


class MealOut(BaseModel):
    name: str
    items: list[ItemOut]


class MealDayOut(BaseModel):
    date: date
    meals: list[MealOut]
    totals: NutrientsOut
    target: NutrientsOut = Field(description="the targets the day was planned against")


class MealPlanOut(BaseModel):
    id: UUID
    version: int = Field(description="1, then one more per adaptation")
    generator: str = Field(description="rules or llm")
    fallback_reason: str | None = Field(description="why the rules answered when the LLM was asked")
    usage: UsageOut | None = Field(description="the LLM's requests and tokens, when it was asked")
    start_date: date
    days: list[MealDayOut]
    created_at: datetime
    updated_at: datetime


class MealPlanSummary(BaseModel):
    id: UUID
    version: int
    generator: str
    start_date: date
    days: int
    created_at: datetime
    updated_at: datetime


class MealPlanPage(Page[MealPlanSummary]):
    pass


def _nutrients(n: Nutrients) -> NutrientsOut:
    return NutrientsOut(kcal=n.kcal, protein_g=n.protein_g, carbs_g=n.carbs_g, fat_g=n.fat_g)


def meal_plan_out(plan: MealPlan) -> MealPlanOut:
    return MealPlanOut(
        id=plan.id, version=plan.version, generator=plan.provenance.generator,
        fallback_reason=plan.provenance.fallback_reason, usage=usage_out(plan.provenance),
        start_date=plan.draft.days[0].date, created_at=plan.created_at, updated_at=plan.updated_at,
        days=[MealDayOut(date=day.date, totals=_nutrients(day.totals), target=_nutrients(day.target), meals=[
            MealOut(name=meal.name, items=[ItemOut(food_id=i.food_id, name=i.name, grams=i.grams) for i in meal.items])
            for meal in day.meals]) for day in plan.draft.days],
    )


def summary_out(plan: MealPlan) -> MealPlanSummary:
    return MealPlanSummary(id=plan.id, version=plan.version, generator=plan.provenance.generator,
                           start_date=plan.draft.days[0].date, days=len(plan.draft.days), created_at=plan.created_at,
                           updated_at=plan.updated_at)


@router.post("/meal-plans", status_code=201, response_model=MealPlanOut, responses=responses(401, 409, 422))
async def create_meal_plan(body: MealPlanIn, caller: Caller,
                           create: CreateMealPlan = use(Fitness.create_meal_plan)) -> MealPlanOut:
    """Plan meals against today's targets (409 without a profile; 422 `plan_infeasible` saying which target the
    allowed foods cannot meet)."""
    return meal_plan_out(await create(caller.account_id, days=body.days, start_date=body.start_date))


@router.get("/meal-plans", response_model=MealPlanPage, responses=responses(401, 422))
async def list_meal_plans(caller: Caller, cursor: Cursor = None, limit: Limit = 50,
                          list_: ListMealPlans = use(Fitness.list_meal_plans)) -> MealPlanPage:
    """Your meal plans, oldest first (GET one for its days)."""
    page = await list_(caller.account_id, cursor=cursor, limit=limit)
    return MealPlanPage(items=[summary_out(p) for p in page.items], next_cursor=page.next_cursor)


@router.get("/meal-plans/{meal_plan_id:uuid}", response_model=MealPlanOut, responses=responses(401, 404))
async def get_meal_plan(meal_plan_id: UUID, caller: Caller,
                        get: GetMealPlan = use(Fitness.get_meal_plan)) -> MealPlanOut:
    """One of your meal plans."""
    return meal_plan_out(await get(caller.account_id, meal_plan_id))


@router.delete("/meal-plans/{meal_plan_id:uuid}", status_code=204, response_class=Response,
               responses=responses(401, 404))
async def delete_meal_plan(meal_plan_id: UUID, caller: Caller,
                           delete: DeleteMealPlan = use(Fitness.delete_meal_plan)) -> Response:
    """Delete one of your meal plans."""
    await delete(caller.account_id, meal_plan_id)
    return no_content()


@router.post("/meal-plans/{meal_plan_id:uuid}/adaptations", status_code=201, response_model=MealPlanOut,
             responses=responses(401, 404, 409, 422))
async def adapt_meal_plan(meal_plan_id: UUID, caller: Caller,
                          adapt: AdaptMealPlan = use(Fitness.adapt_meal_plan)) -> MealPlanOut:
    """Rebuild the plan's days from today on against today's targets (after your energy estimate or profile changed);
    earlier days stay. 409 `meal_plan_over` when every day is past."""
    return meal_plan_out(await adapt(caller.account_id, meal_plan_id))
