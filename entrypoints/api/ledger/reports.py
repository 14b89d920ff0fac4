"""Routes reporting on an account's spending: monthly totals and this month's summary."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel

from application.ledger.categories import ListCategories
from application.ledger.reports import GetMonthlyReport, GetSummary
from domain.ledger.periods import parse_month
from domain.ledger.report import CategoryTotal
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.exact_json import ExactJsonRoute
from entrypoints.api.ledger.budgets import BudgetOut, ProgressOut, budget_out, progress_out
from entrypoints.api.ledger.expenses import CurrencyTotalOut, currency_total
from entrypoints.api.problems import responses
from entrypoints.api.types import Page, trimmed
from entrypoints.container.ledger import Ledger

router = APIRouter(prefix="/api/v1", tags=["reports"], route_class=ExactJsonRoute)

_MONTH_PATTERN = trimmed(r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])$")  # parse_month: a month in 1900-2999


class CategoryTotalOut(BaseModel):
    category_id: UUID
    category_name: str | None
    currency: str
    total: str
    count: int


class MonthOut(BaseModel):
    month: str
    totals: list[CurrencyTotalOut]
    categories: list[CategoryTotalOut]


class MonthlyReportOut(Page[MonthOut]):
    pass


class ComparisonOut(BaseModel):
    currency: str
    this_month: str
    last_month: str
    change: str
    this_count: int
    last_count: int


class BudgetAtRiskOut(BaseModel):
    budget: BudgetOut
    progress: ProgressOut


class SummaryOut(BaseModel):
    month: str
    comparison: list[ComparisonOut]
    top_categories: list[CategoryTotalOut]
    budgets_at_risk: list[BudgetAtRiskOut]


def _category_total(total: CategoryTotal, names: dict[UUID, str]) -> CategoryTotalOut:
    return CategoryTotalOut(category_id=total.category_id, category_name=names.get(total.category_id),
                            currency=total.currency, total=str(total.total.amount), count=total.count)


@router.get("/reports/monthly", response_model=MonthlyReportOut, responses=responses(401, 422))
async def monthly_report(
    caller: Caller,
    first: Annotated[str, Query(alias="from", description="first month: YYYY-MM", examples=["2026-01"],
                                json_schema_extra={"pattern": _MONTH_PATTERN})],
    last: Annotated[str, Query(alias="to", description="last month: YYYY-MM", examples=["2026-03"],
                               json_schema_extra={"pattern": _MONTH_PATTERN})],
    report: GetMonthlyReport = use(Ledger.monthly_report), list_: ListCategories = use(Ledger.list_categories),
) -> MonthlyReportOut:
    """Totals and counts per month, category and currency; months with nothing show zero. Never sums currencies."""
    months = await report(caller.account_id, first=parse_month(first, "from"), last=parse_month(last, "to"))
    names = {c.id: c.name for c in await list_(caller.account_id)}
    return MonthlyReportOut(items=[
        MonthOut(month=m.month.strftime("%Y-%m"), totals=[currency_total(t) for t in m.totals],
                 categories=[_category_total(c, names) for c in m.categories])
        for m in months
    ], next_cursor=None)


@router.get("/reports/summary", response_model=SummaryOut, responses=responses(401))
async def summary(caller: Caller, summarize: GetSummary = use(Ledger.summary),
                  list_: ListCategories = use(Ledger.list_categories)) -> SummaryOut:
    """This month against last month per currency, the top categories, and budgets at 80 % or over."""
    s = await summarize(caller.account_id)
    names = {c.id: c.name for c in await list_(caller.account_id)}
    return SummaryOut(
        month=s.month.strftime("%Y-%m"),
        comparison=[ComparisonOut(currency=c.currency, this_month=str(c.this_month.amount), last_month=str(c.last_month.amount),
                                  change=str(c.change.amount), this_count=c.this_count, last_count=c.last_count)
                    for c in s.comparison],
        top_categories=[_category_total(t, names) for t in s.top_categories],
        budgets_at_risk=[BudgetAtRiskOut(budget=budget_out(r.budget), progress=progress_out(r.progress))
                         for r in s.budgets_at_risk],
    )
