"""Report shapes: totals per currency (never summed across currencies), per category, per month."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.ledger.budget import Budget, BudgetProgress
from domain.ledger.money import Money
from domain.ledger.periods import add_months, months_between
from domain.shared.errors import InvalidValue

REPORT_MONTHS_MAX = 120
TOP_CATEGORIES = 5
AT_RISK_PERCENT = Decimal(80)


@dataclass(frozen=True, slots=True)
class CurrencyTotal:
    """The sum and count of some expenses in one currency."""

    total: Money
    count: int

    @classmethod
    def zero(cls, currency: str) -> "CurrencyTotal":
        return cls(Money.zero(currency), 0)

    @property
    def currency(self) -> str:
        return self.total.currency

    def add(self, total: Money, count: int = 1) -> "CurrencyTotal":
        """This total with `count` more expenses summing to `total` (in the same currency: Money refuses others)."""
        return CurrencyTotal(self.total + total, self.count + count)


@dataclass(frozen=True, slots=True)
class CategoryTotal:
    category_id: UUID
    total: Money
    count: int

    @property
    def currency(self) -> str:
        return self.total.currency


@dataclass(frozen=True, slots=True)
class MonthlyTotal:
    """One month's spending in one category and currency; `month` is its first day."""

    month: date
    category_id: UUID
    total: Money
    count: int

    @property
    def currency(self) -> str:
        return self.total.currency


@dataclass(frozen=True, slots=True)
class MonthReport:
    """`totals` has every currency of the report, zero when nothing was spent; `categories` only spending."""

    month: date
    totals: tuple[CurrencyTotal, ...]
    categories: tuple[CategoryTotal, ...]


@dataclass(frozen=True, slots=True)
class MonthComparison:
    """One currency's spending this month and last month."""

    this_month: Money
    last_month: Money
    this_count: int
    last_count: int

    @property
    def currency(self) -> str:
        return self.this_month.currency

    @property
    def change(self) -> Money:
        return self.this_month - self.last_month


@dataclass(frozen=True, slots=True)
class BudgetAtRisk:
    budget: Budget
    progress: BudgetProgress


@dataclass(frozen=True, slots=True)
class Summary:
    month: date
    comparison: tuple[MonthComparison, ...]
    top_categories: tuple[CategoryTotal, ...]
    budgets_at_risk: tuple[BudgetAtRisk, ...]


def check_report_range(first: date, last: date) -> None:
    if last < first:
        raise InvalidValue("to", "must not be before from")
    if months_between(first, last) >= REPORT_MONTHS_MAX:
        raise InvalidValue("to", f"a report covers at most {REPORT_MONTHS_MAX} months")


def monthly_report(
    rows: Iterable[MonthlyTotal], first: date, last: date, default_currency: str
) -> tuple[MonthReport, ...]:
    """Return every month from `first` to `last`, each with a total for every currency seen (or the default)."""
    by_month: dict[date, list[MonthlyTotal]] = defaultdict(list)
    for row in rows:
        by_month[row.month].append(row)
    currencies = sorted({row.currency for month in by_month.values() for row in month} | {default_currency})
    months = (add_months(first, n) for n in range(months_between(first, last) + 1))
    return tuple(
        MonthReport(month, _per_currency(by_month.get(month, ()), currencies), tuple(
            CategoryTotal(r.category_id, r.total, r.count) for r in by_month.get(month, ())
        ))
        for month in months
    )


def summarize(
    rows: Iterable[MonthlyTotal], month: date, default_currency: str,
    budgets: Iterable[tuple[Budget, BudgetProgress]],
) -> Summary:
    """This month against the previous one, the top categories per currency, and budgets near or over their limit."""
    rows = list(rows)
    now = [r for r in rows if r.month == month]
    before = [r for r in rows if r.month == add_months(month, -1)]
    currencies = sorted({r.currency for r in rows} | {default_currency})
    comparison = tuple(
        MonthComparison(this.total, last.total, this.count, last.count)
        for this, last in zip(_per_currency(now, currencies), _per_currency(before, currencies))
    )
    top: list[CategoryTotal] = []
    for currency in currencies:
        ranked = sorted((r for r in now if r.currency == currency), key=lambda r: (-r.total.amount, r.category_id))
        top += (CategoryTotal(r.category_id, r.total, r.count) for r in ranked[:TOP_CATEGORIES])
    at_risk = sorted(
        (BudgetAtRisk(b, p) for b, p in budgets
         if p.over_budget or (p.percent is not None and p.percent >= AT_RISK_PERCENT)),
        key=lambda risk: (not risk.progress.over_budget, -(risk.progress.percent or 0), risk.budget.id),
    )
    return Summary(month, comparison, tuple(top), tuple(at_risk))


def _per_currency(rows: Iterable[MonthlyTotal], currencies: list[str]) -> tuple[CurrencyTotal, ...]:
    totals = {currency: CurrencyTotal.zero(currency) for currency in currencies}
    for row in rows:
        totals[row.currency] = totals[row.currency].add(row.total, row.count)
    return tuple(totals.values())
