"""Routes on the food catalogue (USDA FoodData Central): the same for every logged-in account."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from application.fitness.catalogue import GetFood, ListFoods
from domain.fitness.catalogue import Food
from domain.fitness.search import QUERY_MAX
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.fitness.fields import CatalogueId, Limit
from entrypoints.api.problems import responses
from entrypoints.api.routing import PrefixRoute
from entrypoints.api.types import Cursor, Page
from entrypoints.container.fitness import Fitness

router = APIRouter(prefix="/api/v1", tags=["fitness"], route_class=PrefixRoute)


class FoodOut(BaseModel):
    id: str = Field(description="the id excluded_foods names")
    name: str
    description: str = Field(description="USDA's description")
    fdc_id: int | None
    kcal_100g: float
    protein_100g: float
    carbs_100g: float
    fat_100g: float
    default_grams: float = Field(description="a usual portion")
    diet_class: str = Field(description="meat, fish, egg, dairy, honey or plant")
    role: str = Field(description="what the meal planner uses it for: protein, carb, produce, fat, or none")
    slots: list[str] = Field(description="the meals it suits")


class FoodPage(Page[FoodOut]):
    pass


def food_out(f: Food) -> FoodOut:
    return FoodOut(id=f.id, name=f.name, description=f.description, fdc_id=f.fdc_id, kcal_100g=f.kcal_100g,
                   protein_100g=f.protein_100g, carbs_100g=f.carbs_100g, fat_100g=f.fat_100g,
                   default_grams=f.default_grams, diet_class=f.diet_class, role=f.role, slots=list(f.slots))


@router.get("/foods", response_model=FoodPage, responses=responses(401, 422))
async def list_foods(
    caller: Caller, q: Annotated[str | None, Query(max_length=QUERY_MAX)] = None,
    diet: Annotated[str | None, Query(max_length=QUERY_MAX, description="omnivore, pescatarian, vegetarian or vegan")]
    = None, cursor: Cursor = None, limit: Limit = 50, list_: ListFoods = use(Fitness.list_foods),
) -> FoodPage:
    """Catalogue foods by id: `q` in the name or USDA description, `diet` the foods that diet allows."""
    page = await list_(q=q, diet=diet, cursor=cursor, limit=limit)
    return FoodPage(items=[food_out(f) for f in page.items], next_cursor=page.next_cursor)


@router.get("/foods/{food_id}", response_model=FoodOut, responses=responses(401, 404, 422))
async def get_food(food_id: CatalogueId, caller: Caller, get: GetFood = use(Fitness.get_food)) -> FoodOut:
    """One catalogue food, per 100 g."""
    return food_out(await get(food_id))
