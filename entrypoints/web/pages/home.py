"""The home page: today's agenda, this month's spending against the budgets, and the panels other contexts fill
(today's workout and meals, the DORA tiles)."""

import asyncio
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import Request, Response

from domain.identity.account import Account
from domain.ledger.budget import Budget, BudgetProgress
from domain.ledger.category import Category
from entrypoints.web.pages.delivery import home_tiles
from entrypoints.web.pages.fitness import today_plan
from entrypoints.web.rendering import container, render
from entrypoints.web.session import WebSession


@dataclass(frozen=True, slots=True)
class BudgetLine:
    """A budget as a progress bar shows it: its name (the category's, or all spending) and today's progress."""

    budget: Budget
    name: str
    progress: BudgetProgress

    @property
    def meter_value(self) -> str:
        """The spent share of what is available, for a <meter> (0 to 1, capped)."""
        available = self.progress.budgeted.amount + self.progress.carried_over.amount
        if available <= 0:
            return "1" if self.progress.spent.amount > 0 else "0"
        return str(min(self.progress.spent.amount / available, 1))


def local_today(account: Account, now: datetime) -> date:
    return now.astimezone(ZoneInfo(account.time_zone)).date()


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The instants a local day starts and ends in `zone`."""
    tz = ZoneInfo(zone)
    return datetime.combine(day, time(), tz), datetime.combine(day + timedelta(days=1), time(), tz)


async def budget_lines(request: Request, owner_id: UUID, today: date, budgets: list[Budget] | None = None,
                       categories: list[Category] | None = None) -> list[BudgetLine]:
    """The owner's budgets running today (of `budgets`, default all), each with its progress, measured at once."""
    ledger = container(request).ledger
    if budgets is None:
        budgets = await ledger.list_budgets()(owner_id)
    running = [budget for budget in budgets if budget.covers(today)]
    if not running:
        return []
    if categories is None and any(budget.category_id for budget in running):
        categories = await ledger.list_categories()(owner_id)
    names = {category.id: category.name for category in categories or ()}
    progress = ledger.budget_progress()
    measured = await asyncio.gather(*(progress(owner_id, budget.id, at=today) for budget in running))
    return [BudgetLine(budget, names.get(budget.category_id, "All spending") if budget.category_id else "All spending",
                       each) for budget, each in zip(running, measured)]


async def home_page(request: Request, session: WebSession) -> Response:
    """Today's agenda and this month's spending for the signed-in account."""
    built = container(request)
    account = await built.identity.get_account()(session.account_id)
    now = built.infrastructure.clock().now()
    today = local_today(account, now)
    start, end = day_bounds(today, account.time_zone)
    this_month = today.replace(day=1)
    # independent reads, each in its own unit of work: their round trips overlap
    agenda, (last_month, month), budgets, panels = await asyncio.gather(
        built.calendar.list_events()(session.account_id, window_from=start, window_to=end, limit=50),
        built.ledger.monthly_report()(session.account_id, first=(this_month - timedelta(days=1)).replace(day=1),
                                      last=this_month),
        budget_lines(request, session.account_id, today), home_panels(request, session, account, today))
    return render(request, "home.html", account=account, today=today, agenda=agenda.items,
                  spending=zip(month.totals, last_month.totals), budgets=budgets, **panels)


async def home_panels(request: Request, session: WebSession, account: Account, today: date) -> dict[str, Any]:
    """Context for the panels other contexts own on the home page (templates/home/*.html): today's workout and meals
    (`fitness_today`), the four DORA tiles (`dora_tiles`). Each returns what its partial reads; None shows the
    panel's invitation instead."""
    fitness_today, dora_tiles = await asyncio.gather(today_plan(request, session.account_id, today),
                                                     home_tiles(request, session.account_id))
    return {"fitness_today": fitness_today, "dora_tiles": dora_tiles}
