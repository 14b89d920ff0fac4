"""Routes on an account's budgets and their progress."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field, StrictBool

from application.ledger.budgets import (
    CreateBudget, DeleteBudget, GetBudget, GetBudgetProgress, ListBudgets, UpdateBudget,
)
from domain.ledger.budget import Budget, BudgetProgress
from domain.ledger.periods import Period
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.exact_json import ExactJsonRoute
from entrypoints.api.ledger.fields import Amount, PeriodName, sent
from entrypoints.api.problems import responses
from entrypoints.api.types import Currency, IsoDate, Page, Strict, no_content
from entrypoints.container.ledger import Ledger

router = APIRouter(prefix="/api/v1", tags=["budgets"], route_class=ExactJsonRoute)


class BudgetIn(Strict):
    amount: Amount
    currency: Currency | None = Field(None, description="default: the account's currency")
    period: PeriodName = Period.MONTHLY.value
    category_id: UUID | None = Field(None, description="none: all spending")
    start_date: IsoDate | None = Field(None, description="default: today in the account's time zone")
    end_date: IsoDate | None = None
    rollover: StrictBool = False


class BudgetPatch(Strict):
    amount: Amount | None = None
    currency: Currency | None = None
    period: PeriodName | None = None
    category_id: UUID | None = None
    start_date: IsoDate | None = None
    end_date: IsoDate | None = None
    rollover: StrictBool | None = None


class BudgetOut(BaseModel):
    id: UUID
    amount: str
    currency: str
    period: str
    category_id: UUID | None
    start_date: date
    end_date: date | None
    rollover: bool
    created_at: datetime
    updated_at: datetime


class BudgetList(Page[BudgetOut]):
    pass


class ProgressOut(BaseModel):
    period_start: date
    period_end: date
    budgeted: str
    carried_over: str
    spent: str
    remaining: str = Field(description="budgeted + carried_over - spent")
    percent: str | None = Field(description="spent as a percentage of what was available; null if nothing was")
    over_budget: bool


def budget_out(b: Budget) -> BudgetOut:
    return BudgetOut(id=b.id, amount=str(b.money.amount), currency=b.money.currency, period=b.period.value,
                     category_id=b.category_id, start_date=b.start_date, end_date=b.end_date, rollover=b.rollover,
                     created_at=b.created_at, updated_at=b.updated_at)


def progress_out(p: BudgetProgress) -> ProgressOut:
    return ProgressOut(period_start=p.period_start, period_end=p.period_end,
                       budgeted=str(p.budgeted.amount), carried_over=str(p.carried_over.amount),
                       spent=str(p.spent.amount), remaining=str(p.remaining.amount), percent=None if p.percent is None else str(p.percent),
                       over_budget=p.over_budget)


@router.get("/budgets", response_model=BudgetList, responses=responses(401))
async def list_budgets(caller: Caller, list_: ListBudgets = use(Ledger.list_budgets)) -> BudgetList:
    """Your budgets, oldest first."""
    return BudgetList(items=[budget_out(b) for b in await list_(caller.account_id)], next_cursor=None)


@router.post("/budgets", status_code=201, response_model=BudgetOut, responses=responses(401, 409, 422))
async def create_budget(body: BudgetIn, caller: Caller, create: CreateBudget = use(Ledger.create_budget)) -> BudgetOut:
    """Add a budget; another one with its category and period may not share a date (409)."""
    return budget_out(await create(caller.account_id, **sent(body)))


@router.get("/budgets/{budget_id:uuid}", response_model=BudgetOut, responses=responses(401, 404))
async def get_budget(budget_id: UUID, caller: Caller, get: GetBudget = use(Ledger.get_budget)) -> BudgetOut:
    """One of your budgets."""
    return budget_out(await get(caller.account_id, budget_id))


@router.patch("/budgets/{budget_id:uuid}", response_model=BudgetOut, responses=responses(401, 404, 409, 422))
async def update_budget(budget_id: UUID, body: BudgetPatch, caller: Caller,
                        update: UpdateBudget = use(Ledger.update_budget)) -> BudgetOut:
    """Change the fields you send; `category_id: null` budgets all spending, `end_date: null` removes the end."""
    return budget_out(await update(caller.account_id, budget_id, **sent(body)))


@router.delete("/budgets/{budget_id:uuid}", status_code=204, response_class=Response, responses=responses(401, 404))
async def delete_budget(budget_id: UUID, caller: Caller, delete: DeleteBudget = use(Ledger.delete_budget)) -> Response:
    """Delete one of your budgets."""
    await delete(caller.account_id, budget_id)
    return no_content()


@router.get("/budgets/{budget_id:uuid}/progress", response_model=ProgressOut, responses=responses(401, 404, 422))
async def budget_progress(
    budget_id: UUID, caller: Caller,
    at: Annotated[IsoDate | None, Query(description="default: today in the account's time zone")] = None,
    progress: GetBudgetProgress = use(Ledger.budget_progress),
) -> ProgressOut:
    """Spending against the budget in the calendar period holding `at` (weeks start on Monday)."""
    return progress_out(await progress(caller.account_id, budget_id, at=at))
