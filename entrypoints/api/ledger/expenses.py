"""Routes of the ledger context: categories, expenses, budgets, reports, CSV export and import."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, PlainValidator, StrictBool, WithJsonSchema
from pydantic_core import PydanticCustomError

from application.identity.ports import AccessClaims
from application.ledger.budgets import (
    CreateBudget, DeleteBudget, GetBudget, GetBudgetProgress, ListBudgets, UpdateBudget,
)
from application.ledger.categories import CreateCategory, DeleteCategory, ListCategories, UpdateCategory
from application.ledger.csv_io import ExportExpensesCsv, ImportExpensesCsv, ImportRejected
from application.ledger.expenses import PAGE_MAX, CreateExpense, DeleteExpense, GetExpense, ListExpenses, UpdateExpense
from application.ledger.reports import GetMonthlyReport, GetSummary
from domain.ledger.budget import Budget, BudgetProgress
from domain.ledger.category import NAME_MAX, Category
from domain.ledger.expense import DESCRIPTION_MAX, NOTES_MAX, TAG_MAX, TAGS_MAX, URL_MAX, Expense, PaymentMethod
from domain.ledger.money import MAX_INTEGER_DIGITS, AmountInput
from domain.ledger.periods import Period, parse_month
from domain.ledger.query import TEXT_QUERY_MAX, ExpenseFilter, ExpenseOrder, TagMatch
from domain.ledger.report import CategoryTotal, CurrencyTotal
from entrypoints.api.dependencies import current_caller, use
from entrypoints.api.exact_json import ExactJsonRoute
from entrypoints.api.types import IsoDate, Strict, trimmed
from entrypoints.api.problems import problem, responses
from entrypoints.container.ledger import Ledger


router = APIRouter(prefix="/api/v1", route_class=ExactJsonRoute)
Caller = Annotated[AccessClaims, Depends(current_caller)]


def _text_or_number(value: object) -> AmountInput:
    """A JSON string or number, left for the domain's amount rule (422 `invalid_value` naming the field)."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise PydanticCustomError("amount_type", "must be a decimal number like 12.50, as a string or a JSON number")
    return value


_AMOUNT_PATTERN = rf"^[0-9]{{1,{MAX_INTEGER_DIGITS}}}(\.[0-9]{{1,2}})?$"
Amount = Annotated[AmountInput, PlainValidator(_text_or_number), WithJsonSchema({
    "anyOf": [{"type": "string", "pattern": _AMOUNT_PATTERN},
              {"type": "number", "exclusiveMinimum": 0, "maximum": float("9" * MAX_INTEGER_DIGITS + ".99"),
               "multipleOf": 0.01}],
    "description": f"> 0, at most 2 decimal places and {MAX_INTEGER_DIGITS} integer digits; "
                   "a JSON string or number, kept exact", "examples": ["12.50"],
})]
_MONTH_PATTERN = trimmed(r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])$")  # parse_month: a month in 1900-2999
# What the filters' domain rules accept (parse_amount, normalize_tags), published without changing who checks it.
_AMOUNT_FILTER = WithJsonSchema({"anyOf": [{"type": "string", "pattern": _AMOUNT_PATTERN}, {"type": "null"}]})
_TAG_FILTER = WithJsonSchema({"anyOf": [{"type": "array", "items": {  # each value: up to 20 tags, comma-separated
    "type": "string", "maxLength": TAGS_MAX * (TAG_MAX + 1)}}, {"type": "null"}]})
Day = IsoDate
Currency = Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", examples=["EUR"], description="ISO 4217 code")]
Color = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$", examples=["#F59E0B"])]
Icon = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=50, examples=["shopping-bag"])]
Method = Literal[tuple(m.value for m in PaymentMethod)]  # type: ignore[valid-type]
PeriodName = Literal[tuple(p.value for p in Period)]  # type: ignore[valid-type]
Tags = Annotated[list[Annotated[str, Field(max_length=TAG_MAX)]], Field(max_length=TAGS_MAX)]
Description = Annotated[str | None, Field(max_length=DESCRIPTION_MAX)]
Notes = Annotated[str | None, Field(max_length=NOTES_MAX)]
ReceiptUrl = Annotated[str | None, Field(max_length=URL_MAX, examples=["https://example.com/receipt.png"])]


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


class CategoryList(BaseModel):
    items: list[CategoryOut]
    next_cursor: str | None = None


class ExpenseIn(Strict):
    amount: Amount
    category_id: UUID
    date: Day | None = Field(None, description="default: today in the account's time zone")
    currency: Currency | None = Field(None, description="default: the account's currency")
    description: Description = None
    payment_method: Method = PaymentMethod.OTHER.value
    tags: Tags = Field(default_factory=list, description=f"at most {TAGS_MAX}, each 1-{TAG_MAX} characters, "
                                                          "trimmed, de-duplicated ignoring case")
    notes: Notes = None
    receipt_url: ReceiptUrl = None


class ExpensePatch(Strict):
    """Only the fields sent change; null clears description, notes or receipt_url."""

    amount: Amount | None = None
    category_id: UUID | None = None
    date: Day | None = None
    currency: Currency | None = None
    description: Description = None
    payment_method: Method | None = None
    tags: Tags | None = None
    notes: Notes = None
    receipt_url: ReceiptUrl = None


class ExpenseOut(BaseModel):
    id: UUID
    amount: str
    currency: str
    date: date
    category_id: UUID
    description: str | None
    payment_method: str
    tags: list[str]
    notes: str | None
    receipt_url: str | None
    created_at: datetime
    updated_at: datetime


class CurrencyTotalOut(BaseModel):
    currency: str
    total: str
    count: int


class ExpenseList(BaseModel):
    items: list[ExpenseOut]
    next_cursor: str | None
    totals: list[CurrencyTotalOut] = Field(description="sum and count of the whole filtered set, per currency")


class BudgetIn(Strict):
    amount: Amount
    currency: Currency | None = Field(None, description="default: the account's currency")
    period: PeriodName = Period.MONTHLY.value
    category_id: UUID | None = Field(None, description="none: all spending")
    start_date: Day | None = Field(None, description="default: today in the account's time zone")
    end_date: Day | None = None
    rollover: StrictBool = False


class BudgetPatch(Strict):
    amount: Amount | None = None
    currency: Currency | None = None
    period: PeriodName | None = None
    category_id: UUID | None = None
    start_date: Day | None = None
    end_date: Day | None = None
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


class BudgetList(BaseModel):
    items: list[BudgetOut]
    next_cursor: str | None = None


class ProgressOut(BaseModel):
    period_start: date
    period_end: date
    budgeted: str
    carried_over: str
    spent: str
    remaining: str = Field(description="budgeted + carried_over - spent")
    percent: str | None = Field(description="spent as a percentage of what was available; null if nothing was")
    over_budget: bool


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


class MonthlyReportOut(BaseModel):
    items: list[MonthOut]
    next_cursor: str | None = None


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


class ImportOut(BaseModel):
    rows: int
    imported: int
    duplicates: int = Field(description="rows skipped because you already have them")
    created_categories: list[str]
    dry_run: bool


def _category(category: Category) -> CategoryOut:
    return CategoryOut(id=category.id, name=category.name, color=category.color, icon=category.icon,
                       created_at=category.created_at, updated_at=category.updated_at)


def _expense(e: Expense) -> ExpenseOut:
    return ExpenseOut(id=e.id, amount=str(e.amount), currency=e.currency, date=e.spent_on, category_id=e.category_id,
                      description=e.description, payment_method=e.payment_method.value, tags=list(e.tags),
                      notes=e.notes, receipt_url=e.receipt_url, created_at=e.created_at, updated_at=e.updated_at)


def _total(total: CurrencyTotal) -> CurrencyTotalOut:
    return CurrencyTotalOut(currency=total.currency, total=str(total.total), count=total.count)


def _budget(b: Budget) -> BudgetOut:
    return BudgetOut(id=b.id, amount=str(b.amount), currency=b.currency, period=b.period.value,
                     category_id=b.category_id, start_date=b.start_date, end_date=b.end_date, rollover=b.rollover,
                     created_at=b.created_at, updated_at=b.updated_at)


def _progress(p: BudgetProgress) -> ProgressOut:
    return ProgressOut(period_start=p.period_start, period_end=p.period_end,
                       budgeted=str(p.budgeted), carried_over=str(p.carried_over), spent=str(p.spent),
                       remaining=str(p.remaining), percent=None if p.percent is None else str(p.percent),
                       over_budget=p.over_budget)


def _category_total(total: CategoryTotal, names: dict[UUID, str]) -> CategoryTotalOut:
    return CategoryTotalOut(category_id=total.category_id, category_name=names.get(total.category_id),
                            currency=total.currency, total=str(total.total), count=total.count)


def _changes(body: BaseModel, renames: dict[str, str] | None = None) -> dict[str, Any]:
    """The fields the client sent, under the domain's names."""
    renames = renames or {}
    return {renames.get(name, name): getattr(body, name) for name in body.model_fields_set}


# --- categories ---------------------------------------------------------------

@router.get("/categories", response_model=CategoryList, tags=["categories"], responses=responses(401))
async def list_categories(caller: Caller, list_: ListCategories = use(Ledger.list_categories)) -> CategoryList:
    """Your categories, by name (every account starts with six)."""
    return CategoryList(items=[_category(c) for c in await list_(caller.account_id)])


@router.post("/categories", status_code=201, response_model=CategoryOut, tags=["categories"],
             responses=responses(401, 409, 422))
async def create_category(body: CategoryIn, caller: Caller,
                          create: CreateCategory = use(Ledger.create_category)) -> CategoryOut:
    """Add a category; names are unique per account, ignoring case (409)."""
    return _category(await create(caller.account_id, name=body.name, color=body.color, icon=body.icon))


@router.patch("/categories/{category_id:uuid}", response_model=CategoryOut, tags=["categories"],
              responses=responses(401, 404, 409, 422))
async def update_category(category_id: UUID, body: CategoryPatch, caller: Caller,
                          update: UpdateCategory = use(Ledger.update_category)) -> CategoryOut:
    """Rename a category or change its color or icon."""
    return _category(await update(caller.account_id, category_id, name=body.name, color=body.color, icon=body.icon))


@router.delete("/categories/{category_id:uuid}", status_code=204, response_class=Response, tags=["categories"],
               responses=responses(401, 404, 409, 422))
async def delete_category(
    category_id: UUID, caller: Caller,
    reassign_to: Annotated[UUID | None, Query(description="move the category's expenses to this category")] = None,
    delete: DeleteCategory = use(Ledger.delete_category),
) -> Response:
    """Delete a category; if it has expenses, `reassign_to` moves them in the same transaction (else 409)."""
    await delete(caller.account_id, category_id, reassign_to=reassign_to)
    return Response(status_code=204)


# --- expenses -----------------------------------------------------------------

def expense_query(
    date_from: Annotated[Day | None, Query(alias="from", description="first date, inclusive")] = None,
    date_to: Annotated[Day | None, Query(alias="to", description="last date, inclusive")] = None,
    category_id: UUID | None = None,
    min_amount: Annotated[str | None, Query(examples=["10.00"]), _AMOUNT_FILTER] = None,
    max_amount: Annotated[str | None, Query(examples=["99.99"]), _AMOUNT_FILTER] = None,
    tags: Annotated[list[str] | None, Query(description="repeat or comma-separate; ignores case"), _TAG_FILTER] = None,
    tags_match: Annotated[Literal[tuple(TagMatch)], Query()] = TagMatch.ANY.value,  # type: ignore[valid-type]
    payment_method: Method | None = None,
    q: Annotated[str | None, Query(max_length=TEXT_QUERY_MAX, description="text in description or notes")] = None,
    sort: Literal["date", "-date", "amount", "-amount"] = "-date",
) -> tuple[ExpenseFilter, ExpenseOrder]:
    """The expense filters and order shared by the list and the CSV export."""
    split = [tag for value in tags or () for tag in value.split(",") if tag.strip()]
    return ExpenseFilter.create(
        date_from=date_from, date_to=date_to, category_id=category_id, min_amount=min_amount,
        max_amount=max_amount, tags=split, tag_match=tags_match, payment_method=payment_method, text=q,
    ), ExpenseOrder.parse(sort)


ExpenseQuery = Annotated[tuple[ExpenseFilter, ExpenseOrder], Depends(expense_query)]


@router.get("/expenses", response_model=ExpenseList, tags=["expenses"], responses=responses(401, 422))
async def list_expenses(
    caller: Caller, query: ExpenseQuery,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 50, cursor: Annotated[str | None, Query(max_length=200)] = None,
    list_: ListExpenses = use(Ledger.list_expenses),
) -> ExpenseList:
    """Your matching expenses, a page at a time, with the totals of all of them per currency."""
    found = await list_(caller.account_id, filter=query[0], order=query[1], limit=limit, cursor=cursor)
    return ExpenseList(items=[_expense(e) for e in found.items], next_cursor=found.next_cursor,
                       totals=[_total(t) for t in found.totals])


@router.post("/expenses", status_code=201, response_model=ExpenseOut, tags=["expenses"],
             responses=responses(401, 422))
async def create_expense(body: ExpenseIn, caller: Caller,
                         create: CreateExpense = use(Ledger.create_expense)) -> ExpenseOut:
    """Record an expense in one of your categories."""
    return _expense(await create(
        caller.account_id, amount=body.amount, category_id=body.category_id, spent_on=body.date,
        currency=body.currency, description=body.description, payment_method=body.payment_method,
        tags=body.tags, notes=body.notes, receipt_url=body.receipt_url,
    ))


@router.get("/expenses/export.csv", response_class=StreamingResponse, tags=["expenses"],
            responses={**responses(401, 422), 200: {"content": {"text/csv": {}}, "description": "CSV, header first"}})
async def export_expenses(caller: Caller, query: ExpenseQuery,
                          export: ExportExpensesCsv = use(Ledger.export_expenses_csv)) -> StreamingResponse:
    """Your matching expenses as CSV (the list's filters and sort), streamed."""
    return StreamingResponse(export(caller.account_id, filter=query[0], order=query[1]),
                             media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="expenses.csv"'})


@router.post("/expenses/import", response_model=ImportOut, tags=["expenses"], responses=responses(401, 413, 422))
async def import_expenses(
    caller: Caller, file: Annotated[UploadFile, File(description="CSV in the export's format")],
    dry_run: Annotated[bool, Form(description="check and count, keep nothing")] = False,
    dry_run_query: Annotated[bool, Query(alias="dry_run", include_in_schema=False)] = False,
    import_: ImportExpensesCsv = use(Ledger.import_expenses_csv),
) -> ImportOut | Response:
    """Import CSV: every row or none (422 lists each bad row's line); rows you already have are skipped."""
    lines = (line.decode("utf-8") for line in file.file)  # one line at a time, so a bad byte has its line number
    try:
        result = await import_(caller.account_id, lines, dry_run=dry_run or dry_run_query)
    except ImportRejected as rejected:
        return problem(422, rejected.code, rejected.title, rejected.detail, errors=[
            {"location": "file", "line": e.line, "field": e.field, "message": e.detail} for e in rejected.errors])
    return ImportOut(rows=result.rows, imported=result.imported, duplicates=result.duplicates,
                     created_categories=list(result.created_categories), dry_run=result.dry_run)


@router.get("/expenses/{expense_id:uuid}", response_model=ExpenseOut, tags=["expenses"], responses=responses(401, 404))
async def get_expense(expense_id: UUID, caller: Caller, get: GetExpense = use(Ledger.get_expense)) -> ExpenseOut:
    """One of your expenses."""
    return _expense(await get(caller.account_id, expense_id))


@router.patch("/expenses/{expense_id:uuid}", response_model=ExpenseOut, tags=["expenses"],
              responses=responses(401, 404, 422))
async def update_expense(expense_id: UUID, body: ExpensePatch, caller: Caller,
                         update: UpdateExpense = use(Ledger.update_expense)) -> ExpenseOut:
    """Change the fields you send."""
    return _expense(await update(caller.account_id, expense_id, **_changes(body, {"date": "spent_on"})))


@router.delete("/expenses/{expense_id:uuid}", status_code=204, response_class=Response, tags=["expenses"],
               responses=responses(401, 404))
async def delete_expense(expense_id: UUID, caller: Caller,
                         delete: DeleteExpense = use(Ledger.delete_expense)) -> Response:
    """Delete one of your expenses."""
    await delete(caller.account_id, expense_id)
    return Response(status_code=204)


# --- budgets ------------------------------------------------------------------

@router.get("/budgets", response_model=BudgetList, tags=["budgets"], responses=responses(401))
async def list_budgets(caller: Caller, list_: ListBudgets = use(Ledger.list_budgets)) -> BudgetList:
    """Your budgets, oldest first."""
    return BudgetList(items=[_budget(b) for b in await list_(caller.account_id)])


@router.post("/budgets", status_code=201, response_model=BudgetOut, tags=["budgets"],
             responses=responses(401, 409, 422))
async def create_budget(body: BudgetIn, caller: Caller,
                        create: CreateBudget = use(Ledger.create_budget)) -> BudgetOut:
    """Add a budget; another one with its category and period may not share a date (409)."""
    return _budget(await create(caller.account_id, **_changes(body)))


@router.get("/budgets/{budget_id:uuid}", response_model=BudgetOut, tags=["budgets"], responses=responses(401, 404))
async def get_budget(budget_id: UUID, caller: Caller, get: GetBudget = use(Ledger.get_budget)) -> BudgetOut:
    """One of your budgets."""
    return _budget(await get(caller.account_id, budget_id))


@router.patch("/budgets/{budget_id:uuid}", response_model=BudgetOut, tags=["budgets"],
              responses=responses(401, 404, 409, 422))
async def update_budget(budget_id: UUID, body: BudgetPatch, caller: Caller,
                        update: UpdateBudget = use(Ledger.update_budget)) -> BudgetOut:
    """Change the fields you send; `category_id: null` budgets all spending, `end_date: null` removes the end."""
    return _budget(await update(caller.account_id, budget_id, **_changes(body)))


@router.delete("/budgets/{budget_id:uuid}", status_code=204, response_class=Response, tags=["budgets"],
               responses=responses(401, 404))
async def delete_budget(budget_id: UUID, caller: Caller, delete: DeleteBudget = use(Ledger.delete_budget)) -> Response:
    """Delete one of your budgets."""
    await delete(caller.account_id, budget_id)
    return Response(status_code=204)


@router.get("/budgets/{budget_id:uuid}/progress", response_model=ProgressOut, tags=["budgets"],
            responses=responses(401, 404, 422))
async def budget_progress(
    budget_id: UUID, caller: Caller,
    at: Annotated[Day | None, Query(description="default: today in the account's time zone")] = None,
    progress: GetBudgetProgress = use(Ledger.budget_progress),
) -> ProgressOut:
    """Spending against the budget in the calendar period holding `at` (weeks start on Monday)."""
    return _progress(await progress(caller.account_id, budget_id, at=at))


# --- reports ------------------------------------------------------------------

@router.get("/reports/monthly", response_model=MonthlyReportOut, tags=["reports"], responses=responses(401, 422))
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
        MonthOut(month=m.month.strftime("%Y-%m"), totals=[_total(t) for t in m.totals],
                 categories=[_category_total(c, names) for c in m.categories])
        for m in months
    ])


@router.get("/reports/summary", response_model=SummaryOut, tags=["reports"], responses=responses(401))
async def summary(caller: Caller, summarize: GetSummary = use(Ledger.summary),
                  list_: ListCategories = use(Ledger.list_categories)) -> SummaryOut:
    """This month against last month per currency, the top categories, and budgets at 80 % or over."""
    s = await summarize(caller.account_id)
    names = {c.id: c.name for c in await list_(caller.account_id)}
    return SummaryOut(
        month=s.month.strftime("%Y-%m"),
        comparison=[ComparisonOut(currency=c.currency, this_month=str(c.this_month), last_month=str(c.last_month),
                                  change=str(c.change), this_count=c.this_count, last_count=c.last_count)
                    for c in s.comparison],
        top_categories=[_category_total(t, names) for t in s.top_categories],
        budgets_at_risk=[BudgetAtRiskOut(budget=_budget(r.budget), progress=_progress(r.progress))
                         for r in s.budgets_at_risk],
    )
