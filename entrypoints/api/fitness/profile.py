"""Routes on the caller's fitness profile and its energy targets."""

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from application.fitness.profiles import GetFitnessProfile, ProfileView, PutFitnessProfile
from domain.fitness.catalogue import Equipment
from domain.fitness.profile import (
    HEIGHT_CM, LIST_MAX, MEALS_PER_DAY, SESSION_MINUTES, TRAINING_DAYS, WEEKLY_RATE_KG, WEIGHT_KG,
)
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import IsoDate, JsonInteger, Strict
from entrypoints.container.fitness import Fitness

router = APIRouter(prefix="/api/v1", tags=["fitness"], route_class=PrefixRoute)

FoodId = Annotated[str, Field(max_length=100)]


class ProfileIn(Strict):
    sex: Literal["male", "female"]
    birth_date: IsoDate = Field(description="age 14-100 today, in the account's time zone")
    height_cm: Annotated[float, Field(strict=True, ge=HEIGHT_CM[0], le=HEIGHT_CM[1])]
    weight_kg: Annotated[float, Field(strict=True, ge=WEIGHT_KG[0], le=WEIGHT_KG[1],
                                      description="also today's weigh-in")]
    activity_level: Literal["sedentary", "light", "moderate", "active", "very_active"]
    goal: Literal["lose", "maintain", "gain"]
    weekly_rate_kg: Annotated[float | None, Field(strict=True, ge=0, le=WEEKLY_RATE_KG[1], description=(
        "0.1-1.0 to lose or gain (default 0.5 to lose, 0.25 to gain); 0 or none to maintain"))] = None
    experience: Literal["beginner", "intermediate", "advanced"]
    equipment: Annotated[list[Literal[tuple(e.value for e in Equipment)]], Field(  # type: ignore[valid-type]
        max_length=LIST_MAX, description="free-exercise-db's names; body-weight exercises need none")] = []
    training_days_per_week: Annotated[int, Field(ge=TRAINING_DAYS[0], le=TRAINING_DAYS[1]), JsonInteger]
    session_minutes: Annotated[int, Field(ge=SESSION_MINUTES[0], le=SESSION_MINUTES[1]), JsonInteger]
    diet: Literal["omnivore", "pescatarian", "vegetarian", "vegan"]
    excluded_foods: Annotated[list[FoodId], Field(max_length=LIST_MAX, description="food ids (GET /foods)")] = []
    meals_per_day: Annotated[int, Field(ge=MEALS_PER_DAY[0], le=MEALS_PER_DAY[1]), JsonInteger]


class EnergyOut(BaseModel):
    bmr_kcal: int
    tdee_kcal: int
    target_kcal: int
    protein_g: int
    fat_g: int
    carbs_g: int
    method: str = Field(description="formula (Mifflin-St Jeor) or adaptive (from logged weights and intake)")
    floor_applied: bool = Field(description="the target was raised to 1,500 kcal (male) or 1,200 kcal (female)")


class ProfileOut(BaseModel):
    sex: str
    birth_date: date
    height_cm: float
    weight_kg: float
    activity_level: str
    goal: str
    weekly_rate_kg: float
    experience: str
    equipment: list[str]
    training_days_per_week: int
    session_minutes: int
    diet: str
    excluded_foods: list[str]
    meals_per_day: int
    energy: EnergyOut
    created_at: datetime
    updated_at: datetime


def profile_out(view: ProfileView) -> ProfileOut:
    p, e = view.profile.profile, view.energy
    return ProfileOut(
        sex=p.sex, birth_date=p.birth_date, height_cm=p.height_cm, weight_kg=p.weight_kg,
        activity_level=p.activity_level, goal=p.goal, weekly_rate_kg=p.weekly_rate_kg, experience=p.experience,
        equipment=list(p.equipment), training_days_per_week=p.training_days_per_week,
        session_minutes=p.session_minutes, diet=p.diet, excluded_foods=list(p.excluded_foods),
        meals_per_day=p.meals_per_day,
        energy=EnergyOut(bmr_kcal=e.bmr_kcal, tdee_kcal=e.tdee_kcal, target_kcal=e.target_kcal, protein_g=e.protein_g,
                         fat_g=e.fat_g, carbs_g=e.carbs_g, method=e.method, floor_applied=e.floor_applied),
        created_at=view.profile.created_at, updated_at=view.profile.updated_at,
    )


@router.put("/fitness-profile", response_model=ProfileOut, responses=responses(401, 422))
async def put_profile(body: ProfileIn, caller: Caller,
                      put: PutFitnessProfile = use(Fitness.put_profile)) -> ProfileOut:
    """Set your whole profile; `weight_kg` is also recorded as today's weigh-in. Answers today's energy targets."""
    return profile_out(await put(caller.account_id, **body.model_dump()))


@router.get("/fitness-profile", response_model=ProfileOut, responses=responses(401, 404))
async def get_profile(caller: Caller, get: GetFitnessProfile = use(Fitness.get_profile)) -> ProfileOut:
    """Your profile and today's energy targets (404 before the first PUT)."""
    return profile_out(await get(caller.account_id))
