"""Budgets: an amount to spend per calendar period, optionally rolling leftovers over."""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from domain.ledger.money import CENT, ZERO, AmountInput, normalize_currency, parse_amount
from domain.ledger.periods import Period, parse_period, period_bounds, periods_between
from domain.shared.dates import check_date
from domain.shared.errors import Conflict, InvalidValue, NotFound


@dataclass(frozen=True, slots=True)
class BudgetProgress:
    """Spending in one period; `remaining` = budgeted + carried_over - spent."""

    period_start: date
    period_end: date
    budgeted: Decimal
    carried_over: Decimal
    spent: Decimal
    remaining: Decimal
    percent: Decimal | None
    over_budget: bool


@dataclass(frozen=True, slots=True)
class Budget:
    """`category_id` None budgets all spending; only expenses in `currency` count."""

    id: UUID
    owner_id: UUID
    amount: Decimal
    currency: str
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
        return cls(id=id, owner_id=owner_id, created_at=now, updated_at=now, **_checked(
            amount=amount, currency=currency, period=period, category_id=category_id,
            start_date=start_date, end_date=end_date, rollover=rollover,
        ))

    def edit(self, *, now: datetime, **changes: object) -> "Budget":
        """Return the budget with `changes` (any editable field; category_id/end_date None clear)."""
        unknown = changes.keys() - set(EDITABLE)
        if unknown:
            raise TypeError(f"not editable: {sorted(unknown)}")
        fields = {name: getattr(self, name) for name in EDITABLE} | changes
        return replace(self, updated_at=now, **_checked(**fields))

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

    def progress(self, at: date, *, spent: Decimal, spent_before: Decimal) -> BudgetProgress:
        """Envelope rule: with rollover, every earlier period's budget minus all earlier spending carries over."""
        start, end = self.window(at)
        carried = ZERO
        if self.rollover:
            carried = self.amount * periods_between(self.period, self.start_date, at) - spent_before
        available = self.amount + carried
        remaining = available - spent
        percent = (spent * 100 / available).quantize(CENT, ROUND_HALF_UP) if available > 0 else None
        return BudgetProgress(start, end, self.amount, carried, spent, remaining, percent, remaining < 0)

    def _dates(self) -> str:
        return f"{self.start_date} to {self.end_date or 'open end'}"


EDITABLE = ("amount", "currency", "period", "category_id", "start_date", "end_date", "rollover")


def _checked(
    *, amount: Any, currency: Any, period: Any, category_id: Any, start_date: Any, end_date: Any, rollover: Any,
) -> dict[str, Any]:
    start = check_date(start_date, "start_date")
    end = None if end_date is None else check_date(end_date, "end_date")
    if end is not None and end < start:
        raise InvalidValue("end_date", "must not be before start_date")
    if category_id is not None and not isinstance(category_id, UUID):
        raise InvalidValue("category_id", "must be a category id")
    if not isinstance(rollover, bool):
        raise InvalidValue("rollover", "must be true or false")
    return dict(
        amount=parse_amount(amount), currency=normalize_currency(currency), period=parse_period(period),
        category_id=category_id, start_date=start, end_date=end, rollover=rollover,
    )


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
