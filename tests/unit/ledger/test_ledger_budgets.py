from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.ledger.budget import BudgetOverlaps
from domain.ledger.periods import Period, period_bounds
from domain.shared.errors import InvalidValue


@pytest.mark.parametrize(("period", "day", "start", "end"), [
    (Period.MONTHLY, date(2026, 1, 31), date(2026, 1, 1), date(2026, 1, 31)),
    (Period.MONTHLY, date(2026, 2, 28), date(2026, 2, 1), date(2026, 2, 28)),
    (Period.MONTHLY, date(2024, 2, 29), date(2024, 2, 1), date(2024, 2, 29)),
    (Period.MONTHLY, date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
    (Period.WEEKLY, date(2026, 1, 1), date(2025, 12, 29), date(2026, 1, 4)),
    (Period.WEEKLY, date(2026, 3, 16), date(2026, 3, 16), date(2026, 3, 22)),
    (Period.WEEKLY, date(2026, 3, 22), date(2026, 3, 16), date(2026, 3, 22)),
    (Period.YEARLY, date(2024, 2, 29), date(2024, 1, 1), date(2024, 12, 31)),
])
def test_periods_are_calendar_periods_with_weeks_from_monday(period, day, start, end):
    assert period_bounds(period, day) == (start, end)


async def spend(ledger, owner, category, amount, day, currency="EUR"):
    await ledger.create_expense(owner, amount=amount, category_id=category, spent_on=day, currency=currency)


async def test_progress_counts_only_the_period_category_and_currency(ledger, owner, food):
    other = (await ledger.create_category(owner, name="Rent")).id
    budget = await ledger.create_budget(owner, amount="100", category_id=food, start_date=date(2026, 1, 1))
    await spend(ledger, owner, food, "30.10", date(2026, 2, 1))
    await spend(ledger, owner, food, "40.20", date(2026, 2, 28))
    await spend(ledger, owner, food, "999", date(2026, 1, 31))
    await spend(ledger, owner, food, "999", date(2026, 3, 1))
    await spend(ledger, owner, other, "999", date(2026, 2, 10))
    await spend(ledger, owner, food, "999", date(2026, 2, 10), currency="USD")

    progress = await ledger.budget_progress(owner, budget.id, at=date(2026, 2, 14))

    assert (progress.period_start, progress.period_end) == (date(2026, 2, 1), date(2026, 2, 28))
    assert progress.spent.amount == Decimal("70.30")
    assert progress.remaining.amount == Decimal("29.70")
    assert progress.percent == Decimal("70.30")
    assert progress.carried_over.amount == 0 and not progress.over_budget


async def test_progress_goes_over_budget(ledger, owner, food):
    budget = await ledger.create_budget(owner, amount="50", start_date=date(2026, 3, 1))
    await spend(ledger, owner, food, "45", date(2026, 3, 2))
    assert not (await ledger.budget_progress(owner, budget.id)).over_budget
    await spend(ledger, owner, food, "5.01", date(2026, 3, 3))
    progress = await ledger.budget_progress(owner, budget.id)
    assert progress.over_budget and progress.remaining.amount == Decimal("-0.01")
    assert progress.percent == Decimal("100.02")


async def test_today_is_the_date_in_the_accounts_time_zone(ledger, owner, food, clock):
    budget = await ledger.create_budget(owner, amount="100", start_date=date(2026, 1, 1))
    await spend(ledger, owner, food, "10", date(2026, 1, 31))
    clock.set(datetime(2026, 1, 31, 23, 30, tzinfo=UTC))

    async def progress_in(time_zone):
        await ledger.set_locale(owner, time_zone=time_zone)
        return await ledger.budget_progress(owner, budget.id)

    in_utc = await progress_in("UTC")
    in_berlin = await progress_in("Europe/Berlin")
    in_la = await progress_in("America/Los_Angeles")

    assert in_utc.period_start == in_la.period_start == date(2026, 1, 1) and in_utc.spent.amount == 10
    assert in_berlin.period_start == date(2026, 2, 1) and in_berlin.spent.amount == 0
    clock.set(datetime(2026, 2, 1, 5, 0, tzinfo=UTC))
    assert (await progress_in("America/Los_Angeles")).spent.amount == 10
    assert (await progress_in("Pacific/Kiritimati")).spent.amount == 0


async def test_rollover_carries_leftovers_and_overspending(ledger, owner, food):
    budget = await ledger.create_budget(
        owner, amount="100", category_id=food, start_date=date(2026, 1, 15), rollover=True,
    )
    await spend(ledger, owner, food, "60", date(2026, 1, 20))   # 40 left in January
    await spend(ledger, owner, food, "170", date(2026, 2, 3))   # 140 available, 30 overspent
    await spend(ledger, owner, food, "25", date(2026, 3, 9))

    january = await ledger.budget_progress(owner, budget.id, at=date(2026, 1, 31))
    february = await ledger.budget_progress(owner, budget.id, at=date(2026, 2, 28))
    march = await ledger.budget_progress(owner, budget.id, at=date(2026, 3, 1))
    april = await ledger.budget_progress(owner, budget.id, at=date(2026, 4, 30))

    assert (january.period_start, january.carried_over.amount, january.remaining.amount) == (date(2026, 1, 15), 0, 40)
    assert (february.carried_over.amount, february.remaining.amount, february.over_budget) == (40, -30, True)
    assert (march.carried_over.amount, march.spent.amount, march.remaining.amount) == (-30, 25, 45)
    assert (april.carried_over.amount, april.remaining.amount) == (45, 145)


async def test_without_rollover_each_period_starts_fresh(ledger, owner, food):
    budget = await ledger.create_budget(owner, amount="100", period="weekly", start_date=date(2025, 12, 29))
    await spend(ledger, owner, food, "150", date(2026, 1, 4))
    week_two = await ledger.budget_progress(owner, budget.id, at=date(2026, 1, 5))
    assert (week_two.period_start, week_two.period_end) == (date(2026, 1, 5), date(2026, 1, 11))
    assert (week_two.carried_over.amount, week_two.spent.amount, week_two.remaining.amount) == (0, 0, 100)


async def test_yearly_rollover_across_a_leap_year(ledger, owner, food):
    budget = await ledger.create_budget(
        owner, amount="1000", period="yearly", start_date=date(2024, 2, 29), rollover=True,
    )
    await spend(ledger, owner, food, "900", date(2024, 12, 31))
    progress = await ledger.budget_progress(owner, budget.id, at=date(2025, 2, 28))
    assert (progress.period_start, progress.carried_over.amount, progress.remaining.amount) == (date(2025, 1, 1), 100, 1100)


async def test_progress_outside_the_budget_dates_is_invalid(ledger, owner):
    budget = await ledger.create_budget(
        owner, amount="10", start_date=date(2026, 1, 1), end_date=date(2026, 1, 20),
    )
    end = await ledger.budget_progress(owner, budget.id, at=date(2026, 1, 20))
    assert end.period_end == date(2026, 1, 20)
    for at in (date(2025, 12, 31), date(2026, 1, 21)):
        with pytest.raises(InvalidValue):
            await ledger.budget_progress(owner, budget.id, at=at)


async def test_one_budget_per_category_and_period_at_any_date(ledger, owner, food):
    first = await ledger.create_budget(owner, amount="100", category_id=food, start_date=date(2026, 1, 1),
                                       end_date=date(2026, 6, 30))
    with pytest.raises(BudgetOverlaps):
        await ledger.create_budget(owner, amount="50", category_id=food, start_date=date(2026, 6, 30))
    await ledger.create_budget(owner, amount="50", category_id=food, start_date=date(2026, 7, 1))
    await ledger.create_budget(owner, amount="50", category_id=food, period="weekly", start_date=date(2026, 1, 1))
    await ledger.create_budget(owner, amount="500", start_date=date(2026, 1, 1))
    with pytest.raises(BudgetOverlaps):
        await ledger.create_budget(owner, amount="400", start_date=date(2020, 1, 1))
    with pytest.raises(BudgetOverlaps):
        await ledger.update_budget(owner, first.id, end_date=None)
    updated = await ledger.update_budget(owner, first.id, amount="120", rollover=True)
    assert updated.money.amount == Decimal("120.00") and updated.rollover


async def test_budget_rules(ledger, owner, stranger, clock):
    budget = await ledger.create_budget(owner, amount="12.5")
    assert (budget.money.currency, budget.period, budget.start_date, budget.category_id) == (
        "EUR", "monthly", date(2026, 3, 15), None)
    await ledger.set_locale(stranger, currency="GBP")
    await ledger.set_locale(owner, currency="GBP")
    assert (await ledger.create_budget(stranger, amount="1", currency="usd")).money.currency == "USD"
    assert (await ledger.create_budget(owner, amount="1", period="yearly")).money.currency == "GBP"
    with pytest.raises(InvalidValue):
        await ledger.create_budget(owner, amount="1", period="daily")
    with pytest.raises(InvalidValue):
        await ledger.create_budget(owner, amount="1", period="weekly", start_date=date(2026, 2, 1),
                                   end_date=date(2026, 1, 1))
    await ledger.delete_budget(owner, budget.id)
    assert [b.period for b in await ledger.list_budgets(owner)] == ["yearly"]
