"""Ledger pages on expenses: the filtered list with its pages and totals, and the add and edit form."""

import asyncio
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from fastapi import Request, Response

from domain.ledger.category import Category
from domain.ledger.expense import Expense, PaymentMethod
from domain.ledger.query import ExpenseFilter, ExpenseOrder
from domain.shared.errors import DomainError
from entrypoints.web.fields import day, identifier, optional
from entrypoints.web.page_route import page_router
from entrypoints.web.rendering import Session, container, form_failed, form_values, redirect, render

router = page_router()
TABS = (("Expenses", "/ledger"), ("Add", "/ledger/expenses/new"), ("Categories", "/ledger/categories"),
        ("Budgets", "/ledger/budgets"), ("Report", "/ledger/report"), ("Import and export", "/ledger/import"))
METHODS = tuple((method.value, method.value.replace("_", " ").capitalize()) for method in PaymentMethod)
SORTS = (("-date", "Newest first"), ("date", "Oldest first"), ("-amount", "Largest first"), ("amount", "Smallest first"))
FILTERS = ("from", "to", "category_id", "min_amount", "max_amount", "tags", "payment_method", "q", "sort")
PAGE_SIZE = 25


def ledger_page(request: Request, template: str, error: DomainError | None = None, **context: Any) -> Response:
    """A ledger page under its tabs; with `error`, the form again with the error beside its field."""
    if error is not None:
        return form_failed(request, template, error, tabs=TABS, module_name="Ledger", **context)
    return render(request, template, tabs=TABS, module_name="Ledger", **context)


async def categories_of(request: Request, owner_id: UUID) -> list[Category]:
    found: list[Category] = await container(request).ledger.list_categories()(owner_id)
    return found


def expense_query(params: dict[str, str]) -> tuple[ExpenseFilter, ExpenseOrder]:
    """The list's filters and order from the query string, by the domain's own rules (the API's)."""
    return ExpenseFilter.create(
        date_from=day(params, "from", required=False), date_to=day(params, "to", required=False),
        category_id=identifier(params.get("category_id"), "category_id"),
        min_amount=optional(params, "min_amount"), max_amount=optional(params, "max_amount"),
        tags=[tag for tag in params.get("tags", "").split(",") if tag.strip()],
        payment_method=optional(params, "payment_method"), text=optional(params, "q"),
    ), ExpenseOrder.parse(params.get("sort") or "-date")


@router.get("/ledger")
async def expenses(request: Request, session: Session) -> Response:
    """The expenses matching the filters, PAGE_SIZE a page, with the totals of all of them."""
    params = {name: request.query_params.get(name, "").strip() for name in FILTERS}
    context: dict[str, Any] = {"params": params, "methods": METHODS, "sorts": SORTS,
                               "query": urlencode({k: v for k, v in params.items() if v})}
    try:
        expense_filter, order = expense_query(params)
        list_expenses = container(request).ledger.list_expenses()
        categories, found = await asyncio.gather(
            categories_of(request, session.account_id),
            list_expenses(session.account_id, filter=expense_filter, order=order, limit=PAGE_SIZE,
                          cursor=request.query_params.get("cursor") or None))
    except DomainError as error:
        categories = await categories_of(request, session.account_id)
        return ledger_page(request, "ledger/expenses.html", error, expenses=[], totals=[], next_cursor=None,
                           categories=categories, names={}, **context)
    context.update(categories=categories, names={c.id: c.name for c in categories})
    return ledger_page(request, "ledger/expenses.html", expenses=found.items, totals=found.totals,
                       next_cursor=found.next_cursor, **context)


def expense_fields(values: dict[str, str]) -> dict[str, Any]:
    """CreateExpense's fields from the form."""
    return {"amount": values.get("amount", ""), "category_id": identifier(values.get("category_id"), "category_id"),
            "spent_on": day(values, "date", required=False), "currency": optional(values, "currency"),
            "description": optional(values, "description"), "payment_method": values.get("payment_method") or "other",
            "tags": [tag for tag in values.get("tags", "").split(",") if tag.strip()],
            "notes": optional(values, "notes")}


def form_of(expense: Expense) -> dict[str, str]:
    return {"amount": str(expense.money.amount), "currency": expense.money.currency,
            "category_id": str(expense.category_id), "date": expense.spent_on.isoformat(),
            "description": expense.description or "", "payment_method": expense.payment_method.value,
            "tags": ", ".join(expense.tags), "notes": expense.notes or ""}


async def _form(request: Request, session: Session, values: dict[str, str], expense: Expense | None,
                error: DomainError | None = None) -> Response:
    return ledger_page(request, "ledger/expense_form.html", error, values=values, expense=expense, methods=METHODS,
                       categories=await categories_of(request, session.account_id))


@router.get("/ledger/expenses/new")
async def new_expense(request: Request, session: Session) -> Response:
    """The empty expense form (today, the account's currency)."""
    return await _form(request, session, {}, None)


@router.post("/ledger/expenses")
async def create_expense(request: Request, session: Session) -> Response:
    """Record the expense; errors go back to the form beside their field."""
    values = await form_values(request)
    try:
        await container(request).ledger.create_expense()(session.account_id, **expense_fields(values))
    except DomainError as error:
        return await _form(request, session, values, None, error)
    return redirect("/ledger?added=1")


@router.get("/ledger/expenses/{expense_id:uuid}/edit")
async def edit_expense(request: Request, session: Session, expense_id: UUID) -> Response:
    """The expense's form, filled in."""
    expense = await container(request).ledger.get_expense()(session.account_id, expense_id)
    return await _form(request, session, form_of(expense), expense)


@router.post("/ledger/expenses/{expense_id:uuid}")
async def update_expense(request: Request, session: Session, expense_id: UUID) -> Response:
    """Change the expense."""
    values = await form_values(request)
    ledger = container(request).ledger
    expense = await ledger.get_expense()(session.account_id, expense_id)
    try:
        fields = expense_fields(values)
        fields["currency"] = fields["currency"] or expense.money.currency
        fields["spent_on"] = fields["spent_on"] or expense.spent_on
        if fields["category_id"] is None:
            fields.pop("category_id")
        await ledger.update_expense()(session.account_id, expense_id, **fields)
    except DomainError as error:
        return await _form(request, session, values, expense, error)
    return redirect("/ledger")


@router.post("/ledger/expenses/{expense_id:uuid}/delete")
async def delete_expense(request: Request, session: Session, expense_id: UUID) -> Response:
    """Delete the expense."""
    await container(request).ledger.delete_expense()(session.account_id, expense_id)
    return redirect("/ledger")
