"""Use cases on an owner's expenses."""

import base64
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from application.ledger.accounts import account_locale
from application.ledger.ports import LedgerUnitOfWork
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from domain.ledger.expense import Expense, ExpenseNotFound, PaymentMethod
from domain.ledger.money import AmountInput, parse_amount
from domain.ledger.periods import local_today
from domain.ledger.query import ExpenseFilter, ExpenseKey, ExpenseOrder, SortField
from domain.ledger.report import CurrencyTotal
from domain.shared.errors import InvalidValue

UowFactory = Callable[[], LedgerUnitOfWork]
PAGE_MAX = 200


@dataclass
class CreateExpense:
    """Record an expense in one of the owner's categories; currency and date default to the account's (its today)."""

    uow: UowFactory
    clock: Clock
    ids: IdGenerator

    async def __call__(
        self, owner_id: UUID, *, amount: AmountInput, category_id: UUID, spent_on: date | None = None,
        currency: str | None = None, description: str | None = None,
        payment_method: str = PaymentMethod.OTHER, tags: Iterable[str] = (), notes: str | None = None,
        receipt_url: str | None = None,
    ) -> Expense:
        now = self.clock.now()
        async with self.uow() as uow:
            locale = await account_locale(uow, owner_id)
            expense = Expense.create(
                id=self.ids.new_id(), owner_id=owner_id, now=now, amount=amount,
                currency=currency or locale.currency, spent_on=spent_on or local_today(now, locale.time_zone),
                category_id=category_id, description=description, payment_method=payment_method,
                tags=tags, notes=notes, receipt_url=receipt_url,
            )
            await uow.expenses.add(expense)  # refuses a category that is not the owner's
            await uow.commit()
        return expense


@dataclass
class GetExpense:
    """Return one of the owner's expenses."""

    uow: UowFactory

    async def __call__(self, owner_id: UUID, expense_id: UUID) -> Expense:
        async with self.uow() as uow:
            expense = await uow.expenses.get(owner_id, expense_id)
        if expense is None:
            raise ExpenseNotFound()
        return expense


@dataclass
class UpdateExpense:
    """Change some fields of an expense (None clears description, notes or receipt_url)."""

    uow: UowFactory
    clock: Clock

    async def __call__(self, owner_id: UUID, expense_id: UUID, **changes: object) -> Expense:
        async with self.uow() as uow:
            expense = await uow.expenses.get(owner_id, expense_id)
            if expense is None:
                raise ExpenseNotFound()
            expense = expense.edit(now=self.clock.now(), **changes)
            await uow.expenses.save(expense)
            await uow.commit()
        return expense


@dataclass
class DeleteExpense:
    """Delete one of the owner's expenses."""

    uow: UowFactory

    async def __call__(self, owner_id: UUID, expense_id: UUID) -> None:
        async with self.uow() as uow:
            if not await uow.expenses.remove(owner_id, expense_id):
                raise ExpenseNotFound()
            await uow.commit()


@dataclass(frozen=True, slots=True)
class ExpenseList:
    items: list[Expense]
    next_cursor: str | None
    totals: list[CurrencyTotal]


@dataclass
class ListExpenses:
    """A page of the owner's matching expenses, an opaque cursor to the next, and the whole set's totals per currency."""

    uow: UowFactory

    async def __call__(
        self, owner_id: UUID, *, filter: ExpenseFilter = ExpenseFilter(), order: ExpenseOrder = ExpenseOrder(),
        limit: int = 50, cursor: str | None = None,
    ) -> ExpenseList:
        if not 1 <= limit <= PAGE_MAX:
            raise InvalidValue("limit", f"must be between 1 and {PAGE_MAX}")
        after = None if cursor is None else decode_cursor(cursor, order)
        async with self.uow() as uow:
            items = await uow.expenses.page(owner_id, filter, order, after=after, limit=limit + 1)
            totals = await uow.expenses.totals(owner_id, filter)
        more = len(items) > limit
        items = items[:limit]
        next_cursor = encode_cursor(order, order.key(items[-1])) if more else None
        return ExpenseList(items, next_cursor, totals)


def encode_cursor(order: ExpenseOrder, key: ExpenseKey) -> str:
    raw = json.dumps([str(order), str(key[0]), str(key[1])]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, order: ExpenseOrder) -> ExpenseKey:
    """Return the key a cursor points after; InvalidValue if it is not from a list in this order."""
    try:
        sort, value, id_ = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if sort != str(order):
            raise ValueError(sort)
        key = date.fromisoformat(value) if order.field is SortField.DATE else parse_amount(value)
        return key, UUID(id_)
    except (ValueError, TypeError, InvalidValue):
        raise InvalidValue("cursor", "is not a cursor of this list; start again without it") from None
