"""Ledger pages that set things up: categories (add, rename, delete) and budgets with their progress bars."""

import asyncio
from uuid import UUID

from fastapi import Request, Response

from domain.ledger.periods import Period
from domain.shared.errors import DomainError
from entrypoints.web.fields import checked, day, identifier, optional
from entrypoints.web.page_route import page_router
from entrypoints.web.pages.home import budget_lines, local_today
from entrypoints.web.pages.ledger import categories_of, ledger_page
from entrypoints.web.rendering import Session, container, form_values, redirect

router = page_router()
PERIODS = tuple((period.value, period.value.capitalize()) for period in Period)


async def _categories(request: Request, session: Session, error: DomainError | None = None,
                      values: dict[str, str] | None = None) -> Response:
    return ledger_page(request, "ledger/categories.html", error, values=values or {},
                       categories=await categories_of(request, session.account_id))


@router.get("/ledger/categories")
async def categories(request: Request, session: Session) -> Response:
    """The account's categories, a form to add one, and each one's rename and delete."""
    return await _categories(request, session)


@router.post("/ledger/categories")
async def create_category(request: Request, session: Session) -> Response:
    values = await form_values(request)
    try:
        await container(request).ledger.create_category()(session.account_id, name=values.get("name", ""))
    except DomainError as error:
        return await _categories(request, session, error, values)
    return redirect("/ledger/categories")


@router.post("/ledger/categories/{category_id:uuid}")
async def rename_category(request: Request, session: Session, category_id: UUID) -> Response:
    values = await form_values(request)
    try:
        await container(request).ledger.update_category()(session.account_id, category_id,
                                                          name=values.get("name", ""))
    except DomainError as error:
        return await _categories(request, session, error, values)
    return redirect("/ledger/categories")


@router.post("/ledger/categories/{category_id:uuid}/delete")
async def delete_category(request: Request, session: Session, category_id: UUID) -> Response:
    """Delete a category; its expenses move to the one chosen (the API refuses when none is and some exist)."""
    values = await form_values(request)
    try:
        await container(request).ledger.delete_category()(
            session.account_id, category_id, reassign_to=identifier(values.get("reassign_to"), "reassign_to"))
    except DomainError as error:
        return await _categories(request, session, error, values)
    return redirect("/ledger/categories")


async def _budgets(request: Request, session: Session, error: DomainError | None = None,
                   values: dict[str, str] | None = None) -> Response:
    built = container(request)
    account, all_budgets, categories = await asyncio.gather(
        built.identity.get_account()(session.account_id), built.ledger.list_budgets()(session.account_id),
        categories_of(request, session.account_id))
    today = local_today(account, built.infrastructure.clock().now())
    lines = await budget_lines(request, session.account_id, today, all_budgets, categories)
    running = {line.budget.id for line in lines}
    others = [budget for budget in all_budgets if budget.id not in running]
    return ledger_page(request, "ledger/budgets.html", error, budgets=lines, other_budgets=others, periods=PERIODS,
                       values=values or {}, categories=categories, account=account)


@router.get("/ledger/budgets")
async def budgets(request: Request, session: Session) -> Response:
    """Budgets running today with their progress bars, the others, and a form to add one."""
    return await _budgets(request, session)


@router.post("/ledger/budgets")
async def create_budget(request: Request, session: Session) -> Response:
    values = await form_values(request)
    try:
        await container(request).ledger.create_budget()(
            session.account_id, amount=values.get("amount", ""), period=values.get("period") or "monthly",
            category_id=identifier(values.get("category_id"), "category_id"), currency=optional(values, "currency"),
            start_date=day(values, "start_date", required=False), end_date=day(values, "end_date", required=False),
            rollover=checked(values, "rollover"))
    except DomainError as error:
        return await _budgets(request, session, error, values)
    return redirect("/ledger/budgets")


@router.post("/ledger/budgets/{budget_id:uuid}/delete")
async def delete_budget(request: Request, session: Session, budget_id: UUID) -> Response:
    await container(request).ledger.delete_budget()(session.account_id, budget_id)
    return redirect("/ledger/budgets")
