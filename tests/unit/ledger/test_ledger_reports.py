from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from domain.shared.errors import InvalidValue


async def test_monthly_report_has_every_month_and_never_mixes_currencies(ledger, owner, food):
    bills = (await ledger.create_category(owner, name="Utilities")).id
    for amount, category, day, currency in [
        ("0.10", food, date(2025, 12, 31), "EUR"), ("0.20", food, date(2025, 12, 1), "EUR"),
        ("80", bills, date(2025, 12, 15), "EUR"), ("5", food, date(2025, 12, 20), "USD"),
        ("1", food, date(2026, 2, 1), "EUR"), ("1", food, date(2026, 3, 1), "EUR"),
    ]:
        await ledger.create_expense(owner, amount=amount, category_id=category, spent_on=day, currency=currency)

    months = await ledger.monthly_report(owner, first=date(2025, 11, 1), last=date(2026, 2, 1))

    assert [m.month for m in months] == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    totals = {(m.month.month, t.currency): (str(t.total.amount), t.count) for m in months for t in m.totals}
    assert totals[(11, "EUR")] == totals[(1, "USD")] == ("0.00", 0)
    assert totals[(12, "EUR")] == ("80.30", 3) and totals[(12, "USD")] == ("5.00", 1)
    assert totals[(2, "EUR")] == ("1.00", 1)
    december = {(c.category_id, c.currency): (c.total.amount, c.count) for c in months[1].categories}
    assert december == {(food, "EUR"): (Decimal("0.30"), 2), (bills, "EUR"): (Decimal("80.00"), 1),
                        (food, "USD"): (Decimal("5.00"), 1)}
    assert months[0].categories == months[2].categories == ()


async def test_monthly_report_range_is_checked(ledger, owner):
    with pytest.raises(InvalidValue):
        await ledger.monthly_report(owner, first=date(2026, 2, 1), last=date(2026, 1, 1))
    with pytest.raises(InvalidValue):
        await ledger.monthly_report(owner, first=date(2000, 1, 1), last=date(2026, 1, 1))
    await ledger.set_locale(owner, currency="JPY")
    empty = await ledger.monthly_report(owner, first=date(2026, 1, 1), last=date(2026, 1, 31))
    assert [(t.currency, t.total.amount) for t in empty[0].totals] == [("JPY", 0)]


async def test_summary_compares_months_ranks_categories_and_flags_budgets(ledger, owner, food, clock):
    clock.set(datetime(2026, 3, 31, 23, 0, tzinfo=UTC))  # April 1st in Berlin
    names = {c.name: c.id for c in await ledger.list_categories(owner)}
    for amount, name, day in [
        ("100", "Bills", date(2026, 4, 1)), ("30", "Food", date(2026, 4, 1)), ("20", "Food", date(2026, 3, 2)),
        ("9", "Health", date(2026, 4, 1)),
    ]:
        await ledger.create_expense(owner, amount=amount, category_id=names[name], spent_on=day)
    await ledger.create_expense(owner, amount="7", category_id=food, spent_on=date(2026, 4, 1), currency="USD")
    await ledger.create_budget(owner, amount="25", category_id=food, start_date=date(2026, 1, 1))
    await ledger.create_budget(owner, amount="200", category_id=names["Bills"], start_date=date(2026, 1, 1))
    at_risk = await ledger.create_budget(owner, amount="10", category_id=names["Health"], start_date=date(2026, 1, 1))

    await ledger.set_locale(owner, time_zone="Europe/Berlin")
    summary = await ledger.summary(owner)

    assert summary.month == date(2026, 4, 1)
    comparison = {c.currency: (c.this_month.amount, c.last_month.amount, c.change.amount) for c in summary.comparison}
    assert comparison == {"EUR": (Decimal("139.00"), Decimal("20.00"), Decimal("119.00")),
                          "USD": (Decimal("7.00"), Decimal("0.00"), Decimal("7.00"))}
    assert [(t.category_id, t.currency) for t in summary.top_categories] == [
        (names["Bills"], "EUR"), (food, "EUR"), (names["Health"], "EUR"), (food, "USD")]
    assert [r.budget.category_id for r in summary.budgets_at_risk] == [food, at_risk.category_id]
    assert summary.budgets_at_risk[0].progress.over_budget
