"""In-memory ledger repositories, answering the same queries in the same order as Postgres."""

from collections.abc import Collection, Iterator, Sequence
from datetime import date, datetime
from typing import final
from uuid import UUID

from adapters.memory.identity.accounts import ACCOUNTS
from adapters.memory.store import MemoryTransaction, TableSpec, Unique
from application.identity.locale import AccountLocale, LocaleChanged
from application.ledger.ports import BudgetRepository, CategoryRepository, ExpenseRepository
from domain.ledger.budget import Budget
from domain.ledger.category import (
    Category, CategoryHasBudgets, CategoryHasExpenses, CategoryNameTaken, unknown_category,
)
from domain.ledger.expense import Expense
from domain.ledger.periods import Period
from domain.ledger.query import ExpenseFilter, ExpenseKey, ExpenseOrder, TagMatch
from domain.shared.dates import MAX_DATE
from domain.ledger.report import CurrencyTotal, MonthlyTotal

CATEGORIES: TableSpec[Category] = TableSpec("categories", unique=(
    Unique("uq_categories_owner_id_name", lambda c: (c.owner_id, c.name.lower()), CategoryNameTaken),
))
EXPENSES: TableSpec[Expense] = TableSpec("expenses")
BUDGETS: TableSpec[Budget] = TableSpec("budgets")


@final
class MemoryCategoryRepository(CategoryRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, category: Category) -> None:
        self._tx.put(CATEGORIES, category)

    async def add_missing(self, categories: Sequence[Category]) -> None:
        for category in categories:
            if await self.get_by_name(category.owner_id, category.name) is None:
                self._tx.put(CATEGORIES, category)

    async def get(self, owner_id: UUID, category_id: UUID) -> Category | None:
        category = self._tx.get(CATEGORIES, category_id)
        return category if category is not None and category.owner_id == owner_id else None

    async def get_by_name(self, owner_id: UUID, name: str) -> Category | None:
        return self._tx.find_unique(CATEGORIES, "uq_categories_owner_id_name", (owner_id, name.lower()))

    async def all(self, owner_id: UUID) -> list[Category]:
        owned = (c for c in self._tx.rows(CATEGORIES) if c.owner_id == owner_id)
        return sorted(owned, key=lambda c: (c.name.lower(), c.id))

    async def save(self, category: Category) -> None:
        self._tx.put(CATEGORIES, category)

    async def remove(self, owner_id: UUID, category_id: UUID) -> bool:
        """Like the foreign keys on Postgres, refuses while a budget (checked first) or an expense uses it."""
        if await self.get(owner_id, category_id) is None:
            return False
        if any(row.category_id == category_id for row in self._tx.rows(BUDGETS)):
            raise CategoryHasBudgets()
        if any(row.category_id == category_id for row in self._tx.rows(EXPENSES)):
            raise CategoryHasExpenses()
        return self._tx.delete(CATEGORIES, category_id)


def _check_category(tx: MemoryTransaction, row: Expense | Budget) -> None:
    """The (owner_id, category_id) foreign key: a row never points at another owner's category."""
    category = None if row.category_id is None else tx.get(CATEGORIES, row.category_id)
    if row.category_id is not None and (category is None or category.owner_id != row.owner_id):
        raise unknown_category("category_id")


@final
class MemoryExpenseRepository(ExpenseRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, expense: Expense, *, assuming: AccountLocale | None = None) -> None:
        account = self._tx.get(ACCOUNTS, expense.owner_id)
        if assuming is not None and (account is None or AccountLocale(account.currency, account.time_zone) != assuming):
            raise LocaleChanged()
        await self.save(expense)

    async def add_many(self, expenses: Sequence[Expense]) -> None:
        for expense in expenses:
            await self.save(expense)

    async def get(self, owner_id: UUID, expense_id: UUID) -> Expense | None:
        expense = self._tx.get(EXPENSES, expense_id)
        return expense if expense is not None and expense.owner_id == owner_id else None

    async def save(self, expense: Expense) -> None:
        _check_category(self._tx, expense)
        self._tx.put(EXPENSES, expense)

    async def remove(self, owner_id: UUID, expense_id: UUID) -> bool:
        return await self.get(owner_id, expense_id) is not None and self._tx.delete(EXPENSES, expense_id)

    async def page(
        self, owner_id: UUID, filter: ExpenseFilter, order: ExpenseOrder, *, after: ExpenseKey | None, limit: int
    ) -> list[Expense]:
        rows = sorted(self._matching(owner_id, filter), key=order.key, reverse=order.descending)
        if after is not None:
            rows = [e for e in rows if (order.key(e) < after if order.descending else order.key(e) > after)]
        return rows[:limit]

    async def totals(self, owner_id: UUID, filter: ExpenseFilter) -> list[CurrencyTotal]:
        sums: dict[str, CurrencyTotal] = {}
        for expense in self._matching(owner_id, filter):
            currency = expense.money.currency
            sums[currency] = sums.get(currency, CurrencyTotal.zero(currency)).add(expense.money)
        return [total for _, total in sorted(sums.items())]

    async def monthly_totals(self, owner_id: UUID, date_from: date, date_to: date) -> list[MonthlyTotal]:
        sums: dict[tuple[date, str, UUID], CurrencyTotal] = {}
        for expense in self._matching(owner_id, ExpenseFilter(date_from=date_from, date_to=date_to)):
            currency = expense.money.currency
            key = (expense.spent_on.replace(day=1), currency, expense.category_id)
            sums[key] = sums.get(key, CurrencyTotal.zero(currency)).add(expense.money)
        return [
            MonthlyTotal(month, category_id, total.total, total.count)
            for (month, _, category_id), total in sorted(sums.items())
        ]

    async def has_category(self, owner_id: UUID, category_id: UUID) -> bool:
        return any(True for _ in self._matching(owner_id, ExpenseFilter(category_id=category_id)))

    async def reassign_category(self, owner_id: UUID, from_id: UUID, to_id: UUID, now: datetime) -> int:
        moved = list(self._matching(owner_id, ExpenseFilter(category_id=from_id)))
        for expense in moved:
            self._tx.put(EXPENSES, expense.edit(now=now, category_id=to_id))
        return len(moved)

    async def count_fingerprints(self, owner_id: UUID, fingerprints: Collection[str]) -> dict[str, int]:
        wanted, counts = set(fingerprints), dict[str, int]()
        for expense in self._matching(owner_id, ExpenseFilter()):
            if expense.fingerprint in wanted:
                counts[expense.fingerprint] = counts.get(expense.fingerprint, 0) + 1
        return counts

    async def lock_for_import(self, owner_id: UUID) -> None:
        """Memory transactions already run one at a time."""

    def _matching(self, owner_id: UUID, f: ExpenseFilter) -> Iterator[Expense]:
        tags = {tag.lower() for tag in f.tags}
        text = f.text.lower() if f.text else None
        for e in self._tx.rows(EXPENSES):
            if e.owner_id != owner_id:
                continue
            if (f.date_from is not None and e.spent_on < f.date_from) or (
                    f.date_to is not None and e.spent_on > f.date_to):
                continue
            if (f.min_amount is not None and e.money.amount < f.min_amount) or (
                    f.max_amount is not None and e.money.amount > f.max_amount):
                continue
            if (f.category_id is not None and e.category_id != f.category_id) or (
                    f.currency is not None and e.money.currency != f.currency):
                continue
            if f.payment_method is not None and e.payment_method != f.payment_method:
                continue
            has = {tag.lower() for tag in e.tags}
            if tags and not (tags <= has if f.tag_match is TagMatch.ALL else tags & has):
                continue
            if text and text not in (e.description or "").lower() and text not in (e.notes or "").lower():
                continue
            yield e


@final
class MemoryBudgetRepository(BudgetRepository):
    def __init__(self, tx: MemoryTransaction) -> None:
        self._tx = tx

    async def add(self, budget: Budget) -> None:
        await self.save(budget)

    async def get(self, owner_id: UUID, budget_id: UUID) -> Budget | None:
        budget = self._tx.get(BUDGETS, budget_id)
        return budget if budget is not None and budget.owner_id == owner_id else None

    async def all(self, owner_id: UUID) -> list[Budget]:
        return sorted((b for b in self._tx.rows(BUDGETS) if b.owner_id == owner_id), key=lambda b: b.id)

    async def save(self, budget: Budget) -> None:
        _check_category(self._tx, budget)
        self._tx.put(BUDGETS, budget)

    async def remove(self, owner_id: UUID, budget_id: UUID) -> bool:
        return await self.get(owner_id, budget_id) is not None and self._tx.delete(BUDGETS, budget_id)

    async def find_overlapping(
        self, owner_id: UUID, *, category_id: UUID | None, period: Period, start: date, end: date | None,
        exclude_id: UUID | None = None,
    ) -> Budget | None:
        for b in await self.all(owner_id):
            if (b.id != exclude_id and b.category_id == category_id and b.period == period
                    and b.start_date <= (end or MAX_DATE) and start <= (b.end_date or MAX_DATE)):
                return b
        return None

    async def uses_category(self, owner_id: UUID, category_id: UUID) -> bool:
        return any(b.category_id == category_id for b in await self.all(owner_id))
