"""Budgets: an amount to spend per calendar period, optionally rolling leftovers over."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypedDict, Unpack
from uuid import UUID

from domain.ledger.money import AmountInput, Money
from domain.ledger.periods import Period, parse_period, period_bounds, periods_between
from domain.shared.changes import refuse_unknown
from domain.shared.dates import check_date
from domain.shared.errors import Conflict, InvalidValue, NotFound


@dataclass(frozen=True, slots=True)
class BudgetProgress:
    """Spending in one period, all in the budget's currency; `remaining` = budgeted + carried_over - spent."""

    period_start: date
    period_end: date
    budgeted: Money
    carried_over: Money
    spent: Money
    remaining: Money
    percent: Decimal | None
    over_budget: bool


class BudgetChanges(TypedDict, total=False):
    """The editable fields of a budget, as `Budget.create` takes them; category_id None means all spending,
    end_date None no end."""

    amount: AmountInput
    currency: str
    period: str
    category_id: UUID | None
    start_date: date
    end_date: date | None
    rollover: bool


@dataclass(frozen=True, slots=True)
class Budget:
    """`category_id` None budgets all spending; only expenses in the currency of `money` count."""

    id: UUID
    owner_id: UUID
    money: Money
    period: Period
    category_id: UUID | None
    start_date: date
    end_date: date | None
    rollover: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls, *, id: UUID, owner_id: UUID, now: datetime, amount: AmountInput, currency: str,
        period: str, category_id: UUID | None, start_date: date, end_date: date | None, rollover: bool,
    ) -> "Budget":
        start = check_date(start_date, "start_date")
        end = None if end_date is None else check_date(end_date, "end_date")
        if end is not None and end < start:
            raise InvalidValue("end_date", "must not be before start_date")
        if category_id is not None and not isinstance(category_id, UUID):
            raise InvalidValue("category_id", "must be a category id")
        if not isinstance(rollover, bool):
            raise InvalidValue("rollover", "must be true or false")
        return cls(
            id=id, owner_id=owner_id, money=Money.of(amount, currency), period=parse_period(period),
            category_id=category_id, start_date=start, end_date=end, rollover=rollover, created_at=now, updated_at=now,
        )

    def edit(self, *, now: datetime, **changes: Unpack[BudgetChanges]) -> "Budget":
        """Return the budget with `changes`, every rule checked again."""
        refuse_unknown(changes, BudgetChanges)
        edited = Budget.create(
            id=self.id, owner_id=self.owner_id, now=now,
            amount=changes.get("amount", self.money.amount), currency=changes.get("currency", self.money.currency),
            period=changes.get("period", self.period), category_id=changes.get("category_id", self.category_id),
            start_date=changes.get("start_date", self.start_date), end_date=changes.get("end_date", self.end_date),
            rollover=changes.get("rollover", self.rollover),
        )
        return replace(edited, created_at=self.created_at)

    def covers(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def window(self, at: date) -> tuple[date, date]:
        """Return the days of `at`'s calendar period that the budget covers."""
        if not self.covers(at):
            raise InvalidValue("at", f"must be within the budget's dates ({self._dates()})")
        start, end = period_bounds(self.period, at)
        return max(start, self.start_date), min(end, self.end_date or end)

    def carry_window(self, at: date) -> tuple[date, date] | None:
        """Return the earlier days whose leftover or overspend rolls into `at`'s period (None if none)."""
        start = period_bounds(self.period, at)[0]
        if not self.rollover or start <= self.start_date:
            return None
        return self.start_date, start - timedelta(days=1)

    def progress(self, at: date, *, spent: Money, spent_before: Money) -> BudgetProgress:
        """Envelope rule: with rollover, every earlier period's budget minus all earlier spending carries over."""
        start, end = self.window(at)
        carried = Money.zero(self.money.currency)
        if self.rollover:
            carried = self.money * periods_between(self.period, self.start_date, at) - spent_before
        available = self.money + carried
        remaining = available - spent
        return BudgetProgress(
            start, end, self.money, carried, spent, remaining, spent.percent_of(available), remaining.is_negative,
        )

    def _dates(self) -> str:
        return f"{self.start_date} to {self.end_date or 'open end'}"


class BudgetNotFound(NotFound):
    code = "budget_not_found"

    def __init__(self) -> None:
        super().__init__("the budget does not exist")


class BudgetOverlaps(Conflict):
    code = "budget_overlaps"

    def __init__(self) -> None:
        super().__init__(
            "another budget for this category and period covers some of these dates; end it or change its dates first"
        )
