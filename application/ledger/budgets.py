"""Use cases on an owner's budgets and their progress."""

from dataclasses import dataclass
from datetime import date
from typing import Unpack
from uuid import UUID

from application.identity.locale import account_locale
from application.ledger.categories import require_category
from application.ledger.ports import LedgerUnitOfWork
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.unit_of_work import UowFactory
from domain.ledger.budget import Budget, BudgetChanges, BudgetNotFound, BudgetOverlaps, BudgetProgress
from domain.ledger.money import AmountInput, Money
from domain.ledger.periods import Period, local_today
from domain.ledger.query import ExpenseFilter



async def _check(uow: LedgerUnitOfWork, budget: Budget, *, category_changed: bool = True) -> None:
    if budget.category_id is not None and category_changed:
        await require_category(uow, budget.owner_id, budget.category_id, "category_id")
    clash = await uow.budgets.find_overlapping(
        budget.owner_id, category_id=budget.category_id, period=budget.period,
        start=budget.start_date, end=budget.end_date, exclude_id=budget.id,
    )
    if clash is not None:
        raise BudgetOverlaps()


@dataclass
class CreateBudget:
    """Add a budget; no other budget of the owner with its category and period may share a date (BudgetOverlaps)."""

    uow: UowFactory[LedgerUnitOfWork]
    clock: Clock
    ids: IdGenerator

    async def __call__(
        self, owner_id: UUID, *, amount: AmountInput, period: str = Period.MONTHLY,
        category_id: UUID | None = None, currency: str | None = None, start_date: date | None = None,
        end_date: date | None = None, rollover: bool = False,
    ) -> Budget:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            locale = await account_locale(uow.accounts, owner_id)
            budget = Budget.create(
                id=self.ids.new_id(), owner_id=owner_id, now=now, amount=amount,
                currency=currency or locale.currency, period=period, category_id=category_id,
                start_date=start_date or local_today(now, locale.time_zone), end_date=end_date, rollover=rollover,
            )
            await _check(uow, budget)
            await uow.budgets.add(budget)
            await uow.commit()
        return budget


@dataclass
class GetBudget:
    """Return one of the owner's budgets."""

    uow: UowFactory[LedgerUnitOfWork]

    async def __call__(self, owner_id: UUID, budget_id: UUID) -> Budget:
        async with self.uow(account=owner_id) as uow:
            budget = await uow.budgets.get(owner_id, budget_id)
        if budget is None:
            raise BudgetNotFound()
        return budget


@dataclass
class ListBudgets:
    """Return the owner's budgets in creation order."""

    uow: UowFactory[LedgerUnitOfWork]

    async def __call__(self, owner_id: UUID) -> list[Budget]:
        async with self.uow(account=owner_id) as uow:
            return await uow.budgets.all(owner_id)


@dataclass
class UpdateBudget:
    """Change some fields of a budget (category_id None means all spending, end_date None no end)."""

    uow: UowFactory[LedgerUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, budget_id: UUID, **changes: Unpack[BudgetChanges]) -> Budget:
        async with self.uow(account=owner_id) as uow:
            budget = await uow.budgets.get(owner_id, budget_id)
            if budget is None:
                raise BudgetNotFound()
            budget = budget.edit(now=self.clock.now(), **changes)
            await _check(uow, budget, category_changed="category_id" in changes)
            await uow.budgets.save(budget)
            await uow.commit()
        return budget


@dataclass
class DeleteBudget:
    """Delete one of the owner's budgets."""

    uow: UowFactory[LedgerUnitOfWork]

    async def __call__(self, owner_id: UUID, budget_id: UUID) -> None:
        async with self.uow(account=owner_id) as uow:
            if not await uow.budgets.remove(owner_id, budget_id):
                raise BudgetNotFound()
            await uow.commit()


@dataclass
class GetBudgetProgress:
    """Spending against a budget in the period holding `at` (default: today in the account's time zone)."""

    uow: UowFactory[LedgerUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, budget_id: UUID, *, at: date | None = None) -> BudgetProgress:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            budget = await uow.budgets.get(owner_id, budget_id)
            if budget is None:
                raise BudgetNotFound()
            at = at or local_today(now, (await account_locale(uow.accounts, owner_id)).time_zone)
            return await measure_budget(uow, budget, at)


async def measure_budget(uow: LedgerUnitOfWork, budget: Budget, at: date) -> BudgetProgress:
    """Return the budget's progress at `at`, from two sums the store computes."""
    start, end = budget.window(at)
    spent = await _spent(uow, budget, start, end)
    earlier = budget.carry_window(at)
    spent_before = Money.zero(budget.money.currency) if earlier is None else await _spent(uow, budget, *earlier)
    return budget.progress(at, spent=spent, spent_before=spent_before)


async def _spent(uow: LedgerUnitOfWork, budget: Budget, start: date, end: date) -> Money:
    currency = budget.money.currency
    totals = await uow.expenses.totals(budget.owner_id, ExpenseFilter(
        date_from=start, date_to=end, category_id=budget.category_id, currency=currency,
    ))
    return next((t.total for t in totals if t.currency == currency), Money.zero(currency))
