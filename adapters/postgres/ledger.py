"""PostgreSQL ledger repositories: filters, sums and monthly totals run in SQL, on exact NUMERIC."""

from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any, final
from uuid import UUID

from sqlalchemy import (
    ColumnElement, Date, DateTime, bindparam, cast, delete, exists, func, insert, literal, or_, select, text, tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert

from adapters.postgres.connection import LazyConnection
from adapters.postgres.errors import translating
from adapters.postgres.prepared import InsertIfAccountHas, by_position, columns, inserting, owned_row, values_of
from adapters.postgres.tables.identity import accounts
from adapters.postgres.tables.ledger import budgets, categories, expenses
from application.identity.locale import AccountLocale, LocaleChanged
from application.ledger.ports import BudgetRepository, CategoryRepository, ExpenseRepository
from domain.ledger.budget import Budget
from domain.ledger.category import (
    Category, CategoryHasBudgets, CategoryHasExpenses, CategoryNameTaken, unknown_category,
)
from domain.ledger.expense import Expense, PaymentMethod
from domain.ledger.money import Money
from domain.ledger.periods import Period
from domain.ledger.query import ExpenseFilter, ExpenseKey, ExpenseOrder, SortField, TagMatch
from domain.ledger.report import CurrencyTotal, MonthlyTotal

_CATEGORY_BY_ID, _EXPENSE_BY_ID, _BUDGET_BY_ID = owned_row(categories), owned_row(expenses), owned_row(budgets)
_CATEGORY_ERRORS = {"uq_categories_owner_id_name": CategoryNameTaken}
_CATEGORY_IN_USE = {"fk_expenses_owner_id_categories": CategoryHasExpenses,
                    "fk_budgets_owner_id_categories": CategoryHasBudgets}
_EXPENSE_ERRORS = {"fk_expenses_owner_id_categories": lambda: unknown_category("category_id")}
_INSERT_EXPENSE = inserting(expenses, _EXPENSE_ERRORS)
_INSERT_EXPENSE_IN_LOCALE = InsertIfAccountHas(expenses, _EXPENSE_ERRORS, accounts, ("currency", "time_zone"),
                                               LocaleChanged)
_BUDGET_ERRORS = {"fk_budgets_owner_id_categories": lambda: unknown_category("category_id")}
_C = "C"  # byte-order collation: sorts like Python's str comparison


_category = by_position(Category, categories)


def _expense(row: Any) -> Expense:
    values = dict(columns(row))
    del values["tag_keys"]
    money = Money(values.pop("amount"), values.pop("currency"))
    return Expense(**values | {"money": money, "payment_method": PaymentMethod(values["payment_method"]),
                               "tags": tuple(values["tags"])})


def _budget(row: Any) -> Budget:
    values = dict(columns(row))
    money = Money(values.pop("amount"), values.pop("currency"))
    return Budget(**values | {"money": money, "period": Period(values["period"])})


def _money_values(entity: Expense | Budget) -> dict[str, Any]:
    """The entity's columns, its Money in the amount and currency columns."""
    values = values_of(entity)
    money = values.pop("money")
    return values | {"amount": money.amount, "currency": money.currency}


def _expense_values(expense: Expense) -> dict[str, Any]:
    return _money_values(expense) | {
        "payment_method": expense.payment_method.value, "tags": list(expense.tags),
        "tag_keys": [tag.lower() for tag in expense.tags],
    }


def _budget_values(budget: Budget) -> dict[str, Any]:
    return _money_values(budget) | {"period": budget.period.value}


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@final
class PostgresCategoryRepository(CategoryRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, category: Category) -> None:
        await translating(self._conn.execute(insert(categories).values(values_of(category))), _CATEGORY_ERRORS)

    async def add_missing(self, categories_: Sequence[Category]) -> None:
        if categories_:
            statement = pg_insert(categories).values([values_of(c) for c in categories_]).on_conflict_do_nothing()
            await self._conn.execute(statement)

    async def get(self, owner_id: UUID, category_id: UUID) -> Category | None:
        row = await _CATEGORY_BY_ID.one(self._conn, id=category_id, owner_id=owner_id)
        return None if row is None else _category(row)

    async def get_by_name(self, owner_id: UUID, name: str) -> Category | None:
        return await self._one(func.lower(categories.c.name) == func.lower(name), owner_id)

    async def all(self, owner_id: UUID) -> list[Category]:
        statement = (select(categories).where(categories.c.owner_id == owner_id)
                     .order_by(func.lower(categories.c.name).collate(_C), categories.c.id))
        return [_category(row) for row in await self._conn.execute(statement)]

    async def save(self, category: Category) -> None:
        statement = (update(categories).values(values_of(category))
                     .where(categories.c.id == category.id, categories.c.owner_id == category.owner_id))
        await translating(self._conn.execute(statement), _CATEGORY_ERRORS)

    async def remove(self, owner_id: UUID, category_id: UUID) -> bool:
        statement = delete(categories).where(categories.c.id == category_id, categories.c.owner_id == owner_id)
        return (await translating(self._conn.execute(statement), _CATEGORY_IN_USE)).rowcount == 1

    async def _one(self, condition: ColumnElement[bool], owner_id: UUID) -> Category | None:
        statement = select(categories).where(condition, categories.c.owner_id == owner_id)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else _category(row)


@final
class PostgresExpenseRepository(ExpenseRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, expense: Expense, *, assuming: AccountLocale | None = None) -> None:
        if assuming is None:
            await self.add_many([expense])
        else:
            await _INSERT_EXPENSE_IN_LOCALE.run(self._conn, _expense_values(expense),
                                                (assuming.currency, assuming.time_zone))

    async def add_many(self, expenses_: Sequence[Expense]) -> None:
        if expenses_:
            rows = [_expense_values(expense) for expense in expenses_]
            await _INSERT_EXPENSE.run_many(self._conn, rows)

    async def get(self, owner_id: UUID, expense_id: UUID) -> Expense | None:
        row = await _EXPENSE_BY_ID.one(self._conn, id=expense_id, owner_id=owner_id)
        return None if row is None else _expense(row)

    async def save(self, expense: Expense) -> None:
        statement = (update(expenses).values(_expense_values(expense))
                     .where(expenses.c.id == expense.id, expenses.c.owner_id == expense.owner_id))
        await translating(self._conn.execute(statement), _EXPENSE_ERRORS)

    async def remove(self, owner_id: UUID, expense_id: UUID) -> bool:
        statement = delete(expenses).where(expenses.c.id == expense_id, expenses.c.owner_id == owner_id)
        return (await self._conn.execute(statement)).rowcount == 1

    async def page(
        self, owner_id: UUID, filter: ExpenseFilter, order: ExpenseOrder, *, after: ExpenseKey | None, limit: int
    ) -> list[Expense]:
        key = expenses.c.spent_on if order.field is SortField.DATE else expenses.c.amount
        statement = select(expenses).where(*_matching(owner_id, filter)).limit(limit)
        if after is not None:
            bound = tuple_(literal(after[0], key.type), literal(after[1], expenses.c.id.type))
            position = tuple_(key, expenses.c.id)
            statement = statement.where(position < bound if order.descending else position > bound)
        ordering = (key.desc(), expenses.c.id.desc()) if order.descending else (key.asc(), expenses.c.id.asc())
        return [_expense(row) for row in await self._conn.execute(statement.order_by(*ordering))]

    async def totals(self, owner_id: UUID, filter: ExpenseFilter) -> list[CurrencyTotal]:
        statement = (select(expenses.c.currency, func.sum(expenses.c.amount), func.count())
                     .where(*_matching(owner_id, filter))
                     .group_by(expenses.c.currency).order_by(expenses.c.currency.collate(_C)))
        return [CurrencyTotal(Money(total, currency), count)
                for currency, total, count in await self._conn.execute(statement)]

    async def monthly_totals(self, owner_id: UUID, date_from: date, date_to: date) -> list[MonthlyTotal]:
        month = cast(func.date_trunc("month", cast(expenses.c.spent_on, DateTime)), Date).label("month")
        statement = (
            select(month, expenses.c.category_id, expenses.c.currency, func.sum(expenses.c.amount), func.count())
            .where(*_matching(owner_id, ExpenseFilter(date_from=date_from, date_to=date_to)))
            .group_by(month, expenses.c.currency, expenses.c.category_id)
            .order_by(month, expenses.c.currency.collate(_C), expenses.c.category_id)
        )
        return [MonthlyTotal(month, category_id, Money(total, currency), count)
                for month, category_id, currency, total, count in await self._conn.execute(statement)]

    async def has_category(self, owner_id: UUID, category_id: UUID) -> bool:
        return bool(await self._conn.scalar(select(exists().where(
            expenses.c.owner_id == owner_id, expenses.c.category_id == category_id))))

    async def reassign_category(self, owner_id: UUID, from_id: UUID, to_id: UUID, now: datetime) -> int:
        statement = select(expenses).where(expenses.c.owner_id == owner_id, expenses.c.category_id == from_id)
        moved = [_expense(row).edit(now=now, category_id=to_id) for row in await self._conn.execute(statement)]
        if moved:
            await translating(self._conn.execute(
                update(expenses)
                .where(expenses.c.owner_id == owner_id, expenses.c.id == bindparam("moved_id"))
                .values(category_id=to_id, fingerprint=bindparam("new_fingerprint"), updated_at=now),
                [{"moved_id": e.id, "new_fingerprint": e.fingerprint} for e in moved],
            ), _EXPENSE_ERRORS)
        return len(moved)

    async def count_fingerprints(self, owner_id: UUID, fingerprints: Collection[str]) -> dict[str, int]:
        if not fingerprints:
            return {}
        statement = (select(expenses.c.fingerprint, func.count())
                     .where(expenses.c.owner_id == owner_id, expenses.c.fingerprint.in_(list(fingerprints)))
                     .group_by(expenses.c.fingerprint))
        return {fingerprint: count for fingerprint, count in await self._conn.execute(statement)}

    async def lock_for_import(self, owner_id: UUID) -> None:
        await self._conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                                 {"key": f"ledger-import:{owner_id}"})


def _matching(owner_id: UUID, f: ExpenseFilter) -> list[ColumnElement[bool]]:
    """The WHERE conditions of a filter (dates and amounts inclusive; tags and text ignore case)."""
    c = expenses.c
    where = [c.owner_id == owner_id]
    for column, low, high in ((c.spent_on, f.date_from, f.date_to), (c.amount, f.min_amount, f.max_amount)):
        if low is not None:
            where.append(column >= low)
        if high is not None:
            where.append(column <= high)
    for column, value in ((c.category_id, f.category_id), (c.currency, f.currency)):
        if value is not None:
            where.append(column == value)
    if f.payment_method is not None:
        where.append(c.payment_method == f.payment_method.value)
    if f.tags:
        keys = [tag.lower() for tag in f.tags]
        where.append(c.tag_keys.contains(keys) if f.tag_match is TagMatch.ALL else c.tag_keys.overlap(keys))
    if f.text:
        pattern = f"%{_escape_like(f.text)}%"
        where.append(or_(c.description.ilike(pattern, escape="\\"), c.notes.ilike(pattern, escape="\\")))
    return where


@final
class PostgresBudgetRepository(BudgetRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, budget: Budget) -> None:
        await translating(self._conn.execute(insert(budgets).values(_budget_values(budget))), _BUDGET_ERRORS)

    async def get(self, owner_id: UUID, budget_id: UUID) -> Budget | None:
        row = await _BUDGET_BY_ID.one(self._conn, id=budget_id, owner_id=owner_id)
        return None if row is None else _budget(row)

    async def all(self, owner_id: UUID) -> list[Budget]:
        statement = select(budgets).where(budgets.c.owner_id == owner_id).order_by(budgets.c.id)
        return [_budget(row) for row in await self._conn.execute(statement)]

    async def save(self, budget: Budget) -> None:
        statement = (update(budgets).values(_budget_values(budget))
                     .where(budgets.c.id == budget.id, budgets.c.owner_id == budget.owner_id))
        await translating(self._conn.execute(statement), _BUDGET_ERRORS)

    async def remove(self, owner_id: UUID, budget_id: UUID) -> bool:
        statement = delete(budgets).where(budgets.c.id == budget_id, budgets.c.owner_id == owner_id)
        return (await self._conn.execute(statement)).rowcount == 1

    async def find_overlapping(
        self, owner_id: UUID, *, category_id: UUID | None, period: Period, start: date, end: date | None,
        exclude_id: UUID | None = None,
    ) -> Budget | None:
        await self._conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                                 {"key": f"ledger-budgets:{owner_id}"})
        c = budgets.c
        statement = select(budgets).where(
            c.owner_id == owner_id, c.category_id.is_not_distinct_from(category_id), c.period == period.value,
            or_(c.end_date.is_(None), c.end_date >= start),
        ).order_by(c.id).limit(1)
        if end is not None:
            statement = statement.where(c.start_date <= end)
        if exclude_id is not None:
            statement = statement.where(c.id != exclude_id)
        row = (await self._conn.execute(statement)).first()
        return None if row is None else _budget(row)

    async def uses_category(self, owner_id: UUID, category_id: UUID) -> bool:
        return bool(await self._conn.scalar(select(exists().where(
            budgets.c.owner_id == owner_id, budgets.c.category_id == category_id))))
