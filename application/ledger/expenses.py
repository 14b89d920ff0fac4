"""Use cases on an owner's expenses."""

from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from functools import partial
from datetime import date
from typing import Unpack, cast
from uuid import UUID

from application.identity.locale import AccountLocale, LocaleChanged, RecentLocales, account_locale
from application.ledger.ports import LedgerUnitOfWork
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.pages import DEFAULT_LIMIT, check_limit, decode_cursor, page_of
from application.shared.unit_of_work import UowFactory
from domain.ledger.expense import Expense, ExpenseChanges, ExpenseNotFound, PaymentMethod
from domain.ledger.money import AmountInput, parse_amount
from domain.ledger.periods import local_today
from domain.ledger.query import ExpenseFilter, ExpenseKey, ExpenseOrder, SortField
from domain.ledger.report import CurrencyTotal



@dataclass
class CreateExpense:
    """Record an expense in one of the owner's categories; currency and date default to the account's (its today).
    The account's locale is read only when a default needs it, and not at all when this process saw it lately: the
    insert then checks it and, had it changed, the expense is made again from the account as it is now."""

    uow: UowFactory[LedgerUnitOfWork]
    clock: Clock
    ids: IdGenerator
    locales: RecentLocales

    async def __call__(
        self, owner_id: UUID, *, amount: AmountInput, category_id: UUID, spent_on: date | None = None,
        currency: str | None = None, description: str | None = None,
        payment_method: str = PaymentMethod.OTHER, tags: Iterable[str] = (), notes: str | None = None,
        receipt_url: str | None = None,
    ) -> Expense:
        now = self.clock.now()
        make = partial(Expense.create, id=self.ids.new_id(), owner_id=owner_id, now=now, amount=amount,
                       category_id=category_id, description=description, payment_method=payment_method,
                       tags=tuple(tags), notes=notes, receipt_url=receipt_url)
        defaults = currency is None or spent_on is None  # else nothing comes from the account

        def made(locale: AccountLocale | None) -> Expense:  # None only when nothing defaults
            return make(currency=currency or cast(AccountLocale, locale).currency,
                        spent_on=spent_on or local_today(now, cast(AccountLocale, locale).time_zone))

        guess = self.locales.get(owner_id) if defaults else None
        if guess is not None:
            with suppress(LocaleChanged):
                return await self._store(owner_id, made, guess=guess, defaults=True)
        return await self._store(owner_id, made, guess=None, defaults=defaults)

    async def _store(
        self, owner_id: UUID, made: Callable[[AccountLocale | None], Expense], *, guess: AccountLocale | None,
        defaults: bool,
    ) -> Expense:
        """The expense `made` from the guessed locale, stored only if the account still has it (else LocaleChanged),
        or from the account's locale read now (when `defaults` need one)."""
        async with self.uow(account=owner_id) as uow:
            locale = guess
            if locale is None and defaults:
                locale = await account_locale(uow.accounts, owner_id)
                self.locales.saw(owner_id, locale)
            expense = made(locale)
            await uow.expenses.add(expense, assuming=guess)  # refuses a category that is not the owner's
            await uow.commit()
        return expense


@dataclass
class GetExpense:
    """Return one of the owner's expenses."""

    uow: UowFactory[LedgerUnitOfWork]

    async def __call__(self, owner_id: UUID, expense_id: UUID) -> Expense:
        async with self.uow(account=owner_id) as uow:
            expense = await uow.expenses.get(owner_id, expense_id)
        if expense is None:
            raise ExpenseNotFound()
        return expense


@dataclass
class UpdateExpense:
    """Change some fields of an expense (None clears description, notes or receipt_url)."""

    uow: UowFactory[LedgerUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID, expense_id: UUID, **changes: Unpack[ExpenseChanges]) -> Expense:
        async with self.uow(account=owner_id) as uow:
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

    uow: UowFactory[LedgerUnitOfWork]

    async def __call__(self, owner_id: UUID, expense_id: UUID) -> None:
        async with self.uow(account=owner_id) as uow:
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

    uow: UowFactory[LedgerUnitOfWork]

    async def __call__(
        self, owner_id: UUID, *, filter: ExpenseFilter = ExpenseFilter(), order: ExpenseOrder = ExpenseOrder(),
        limit: int = DEFAULT_LIMIT, cursor: str | None = None,
    ) -> ExpenseList:
        check_limit(limit)
        after = None if cursor is None else decode_cursor(cursor, _position_in(order))
        async with self.uow(account=owner_id) as uow:
            rows = await uow.expenses.page(owner_id, filter, order, after=after, limit=limit + 1)
            totals = await uow.expenses.totals(owner_id, filter)
        page = page_of(rows, limit, lambda expense: (order, *order.key(expense)))
        return ExpenseList(page.items, page.next_cursor, totals)


def _position_in(order: ExpenseOrder) -> Callable[[str, str, str], ExpenseKey]:
    """How to read a cursor's position; a cursor written under another sort is not one of this list."""

    def position(sort: str, value: str, expense_id: str) -> ExpenseKey:
        if sort != str(order):
            raise ValueError(sort)
        key = date.fromisoformat(value) if order.field is SortField.DATE else parse_amount(value)
        return key, UUID(expense_id)

    return position
