"""Use cases that read the owner's spending as reports."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from application.identity.locale import account_locale
from application.ledger.budgets import measure_budget
from application.ledger.ports import LedgerUnitOfWork
from application.shared.clock import Clock
from application.shared.unit_of_work import UowFactory
from domain.ledger.periods import add_months, local_today, month_end, month_start
from domain.ledger.report import MonthReport, Summary, check_report_range, monthly_report, summarize



@dataclass
class GetMonthlyReport:
    """Totals and counts per month, category and currency, `first` to `last` month; empty months show zero."""

    uow: UowFactory[LedgerUnitOfWork]

    async def __call__(self, owner_id: UUID, *, first: date, last: date) -> tuple[MonthReport, ...]:
        first, last = month_start(first), month_start(last)
        check_report_range(first, last)
        async with self.uow(account=owner_id) as uow:
            currency = (await account_locale(uow.accounts, owner_id)).currency
            rows = await uow.expenses.monthly_totals(owner_id, first, month_end(last))
        return monthly_report(rows, first, last, currency)


@dataclass
class GetSummary:
    """This month against last month per currency, the top categories, and the budgets at risk today."""

    uow: UowFactory[LedgerUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID) -> Summary:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            locale = await account_locale(uow.accounts, owner_id)
            today = local_today(now, locale.time_zone)
            month = month_start(today)
            rows = await uow.expenses.monthly_totals(owner_id, add_months(month, -1), month_end(month))
            budgets = [
                (budget, await measure_budget(uow, budget, today))
                for budget in await uow.budgets.all(owner_id) if budget.covers(today)
            ]
        return summarize(rows, month, locale.currency, budgets)
