"""Routes on an account's expense categories."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from application.ledger.categories import CreateCategory, DeleteCategory, ListCategories, UpdateCategory
from domain.ledger.category import NAME_MAX, Category
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.exact_json import ExactJsonRoute
from entrypoints.api.problems import responses
from entrypoints.api.types import Page, Strict, no_content
from entrypoints.container.ledger import Ledger

router = APIRouter(prefix="/api/v1", tags=["categories"], route_class=ExactJsonRoute)

Color = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$", examples=["#F59E0B"])]
Icon = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=50, examples=["shopping-bag"])]


class CategoryIn(Strict):
    name: Annotated[str, Field(min_length=1, max_length=NAME_MAX)]
    color: Color | None = None
    icon: Icon | None = None


class CategoryPatch(Strict):
    name: Annotated[str | None, Field(min_length=1, max_length=NAME_MAX)] = None
    color: Color | None = None
    icon: Icon | None = None


class CategoryOut(BaseModel):
    id: UUID
    name: str
    color: str
    icon: str
    created_at: datetime
    updated_at: datetime


class CategoryList(Page[CategoryOut]):
    pass


def _category(category: Category) -> CategoryOut:
    return CategoryOut(id=category.id, name=category.name, color=category.color, icon=category.icon,
                       created_at=category.created_at, updated_at=category.updated_at)


@router.get("/categories", response_model=CategoryList, responses=responses(401))
async def list_categories(caller: Caller, list_: ListCategories = use(Ledger.list_categories)) -> CategoryList:
    """Your categories, by name (every account starts with six)."""
    return CategoryList(items=[_category(c) for c in await list_(caller.account_id)], next_cursor=None)


@router.post("/categories", status_code=201, response_model=CategoryOut, responses=responses(401, 409, 422))
async def create_category(body: CategoryIn, caller: Caller,
                          create: CreateCategory = use(Ledger.create_category)) -> CategoryOut:
    """Add a category; names are unique per account, ignoring case (409)."""
    return _category(await create(caller.account_id, name=body.name, color=body.color, icon=body.icon))


@router.patch("/categories/{category_id:uuid}", response_model=CategoryOut, responses=responses(401, 404, 409, 422))
async def update_category(category_id: UUID, body: CategoryPatch, caller: Caller,
                          update: UpdateCategory = use(Ledger.update_category)) -> CategoryOut:
    """Rename a category or change its color or icon."""
    return _category(await update(caller.account_id, category_id, name=body.name, color=body.color, icon=body.icon))


@router.delete("/categories/{category_id:uuid}", status_code=204, response_class=Response,
               responses=responses(401, 404, 409, 422))
async def delete_category(
    category_id: UUID, caller: Caller,
    reassign_to: Annotated[UUID | None, Query(description="move the category's expenses to this category")] = None,
    delete: DeleteCategory = use(Ledger.delete_category),
) -> Response:
    """Delete a category; if it has expenses, `reassign_to` moves them in the same transaction (else 409)."""
    await delete(caller.account_id, category_id, reassign_to=reassign_to)
    return no_content()
