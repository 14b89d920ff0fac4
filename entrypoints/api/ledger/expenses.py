"""Routes on an account's expenses: the filtered list with its totals, and each expense."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field, WithJsonSchema

from application.shared.pages import MAX_LIMIT as PAGE_MAX
from application.ledger.expenses import CreateExpense, DeleteExpense, GetExpense, ListExpenses, UpdateExpense
from domain.ledger.expense import TAG_MAX, TAGS_MAX, Expense, PaymentMethod
from domain.ledger.query import TEXT_QUERY_MAX, ExpenseFilter, ExpenseOrder, TagMatch
from domain.ledger.report import CurrencyTotal
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.exact_json import ExactJsonRoute
from entrypoints.api.ledger.fields import (
    AMOUNT_PATTERN, Amount, Description, Method, Notes, ReceiptUrl, Tags, TagMatchName, sent,
)
from entrypoints.api.problems import responses
from entrypoints.api.types import Currency, Cursor, IsoDate, Page, Strict, no_content
from entrypoints.container.ledger import Ledger

router = APIRouter(prefix="/api/v1", tags=["expenses"], route_class=ExactJsonRoute)

# What the filters' domain rules accept (parse_amount, normalize_tags), published without changing who checks it.
_AMOUNT_FILTER = WithJsonSchema({"anyOf": [{"type": "string", "pattern": AMOUNT_PATTERN}, {"type": "null"}]})
_TAG_FILTER = WithJsonSchema({"anyOf": [{"type": "array", "items": {  # each value: up to 20 tags, comma-separated
    "type": "string", "maxLength": TAGS_MAX * (TAG_MAX + 1)}}, {"type": "null"}]})


class ExpenseIn(Strict):
    amount: Amount
    category_id: UUID
    date: IsoDate | None = Field(None, description="default: today in the account's time zone")
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
    date: IsoDate | None = None
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


class ExpenseList(Page[ExpenseOut]):
    totals: list[CurrencyTotalOut] = Field(description="sum and count of the whole filtered set, per currency")


def _expense(e: Expense) -> ExpenseOut:
    return ExpenseOut(id=e.id, amount=str(e.money.amount), currency=e.money.currency, date=e.spent_on, category_id=e.category_id,
                      description=e.description, payment_method=e.payment_method.value, tags=list(e.tags),
                      notes=e.notes, receipt_url=e.receipt_url, created_at=e.created_at, updated_at=e.updated_at)


def currency_total(total: CurrencyTotal) -> CurrencyTotalOut:
    return CurrencyTotalOut(currency=total.currency, total=str(total.total.amount), count=total.count)


def expense_query(
    date_from: Annotated[IsoDate | None, Query(alias="from", description="first date, inclusive")] = None,
    date_to: Annotated[IsoDate | None, Query(alias="to", description="last date, inclusive")] = None,
    category_id: UUID | None = None,
    min_amount: Annotated[str | None, Query(examples=["10.00"]), _AMOUNT_FILTER] = None,
    max_amount: Annotated[str | None, Query(examples=["99.99"]), _AMOUNT_FILTER] = None,
    tags: Annotated[list[str] | None, Query(description="repeat or comma-separate; ignores case"), _TAG_FILTER] = None,
    tags_match: Annotated[TagMatchName, Query()] = TagMatch.ANY.value,
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


@router.get("/expenses", response_model=ExpenseList, responses=responses(401, 422))
async def list_expenses(
    caller: Caller, query: ExpenseQuery,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = 50, cursor: Cursor = None,
    list_: ListExpenses = use(Ledger.list_expenses),
) -> ExpenseList:
    """Your matching expenses, a page at a time, with the totals of all of them per currency."""
    found = await list_(caller.account_id, filter=query[0], order=query[1], limit=limit, cursor=cursor)
    return ExpenseList(items=[_expense(e) for e in found.items], next_cursor=found.next_cursor,
                       totals=[currency_total(t) for t in found.totals])


@router.post("/expenses", status_code=201, response_model=ExpenseOut, responses=responses(401, 422))
async def create_expense(body: ExpenseIn, caller: Caller,
                         create: CreateExpense = use(Ledger.create_expense)) -> ExpenseOut:
    """Record an expense in one of your categories."""
    return _expense(await create(
        caller.account_id, amount=body.amount, category_id=body.category_id, spent_on=body.date,
        currency=body.currency, description=body.description, payment_method=body.payment_method,
        tags=body.tags, notes=body.notes, receipt_url=body.receipt_url,
    ))


@router.get("/expenses/{expense_id:uuid}", response_model=ExpenseOut, responses=responses(401, 404))
async def get_expense(expense_id: UUID, caller: Caller, get: GetExpense = use(Ledger.get_expense)) -> ExpenseOut:
    """One of your expenses."""
    return _expense(await get(caller.account_id, expense_id))


@router.patch("/expenses/{expense_id:uuid}", response_model=ExpenseOut, responses=responses(401, 404, 422))
async def update_expense(expense_id: UUID, body: ExpensePatch, caller: Caller,
                         update: UpdateExpense = use(Ledger.update_expense)) -> ExpenseOut:
    """Change the fields you send."""
    return _expense(await update(caller.account_id, expense_id, **sent(body, {"date": "spent_on"})))


@router.delete("/expenses/{expense_id:uuid}", status_code=204, response_class=Response, responses=responses(401, 404))
async def delete_expense(expense_id: UUID, caller: Caller,
                         delete: DeleteExpense = use(Ledger.delete_expense)) -> Response:
    """Delete one of your expenses."""
    await delete(caller.account_id, expense_id)
    return no_content()
