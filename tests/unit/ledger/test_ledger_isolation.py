from datetime import date

import pytest

from domain.ledger.query import ExpenseFilter
from domain.shared.errors import InvalidValue, NotFound


async def test_another_owner_finds_nothing_by_id(ledger, owner, stranger, food):
    expense = await ledger.create_expense(owner, amount="10", category_id=food, spent_on=date(2026, 3, 1))
    budget = await ledger.create_budget(owner, amount="100", category_id=food)
    attempts = [
        ledger.update_category(stranger, food, name="Mine now"),
        ledger.delete_category(stranger, food),
        ledger.get_expense(stranger, expense.id),
        ledger.update_expense(stranger, expense.id, amount="1"),
        ledger.delete_expense(stranger, expense.id),
        ledger.get_budget(stranger, budget.id),
        ledger.update_budget(stranger, budget.id, amount="1"),
        ledger.delete_budget(stranger, budget.id),
        ledger.budget_progress(stranger, budget.id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            await attempt

    stranger_food = next(c for c in await ledger.list_categories(stranger) if c.name == "Food").id
    with pytest.raises(InvalidValue):
        await ledger.delete_category(stranger, stranger_food, reassign_to=food)
    foreign_filter = ExpenseFilter(category_id=food)
    assert (await ledger.list_expenses(stranger, filter=foreign_filter)).items == []
    assert "".join([c async for c in ledger.export_expenses_csv(stranger, filter=foreign_filter)]).count("\n") == 1
    months = await ledger.monthly_report(stranger, first=date(2026, 3, 1), last=date(2026, 3, 1))
    assert months[0].totals[0].count == 0
    assert (await ledger.summary(stranger)).budgets_at_risk == ()

    assert await ledger.get_expense(owner, expense.id) == expense
    assert await ledger.get_budget(owner, budget.id) == budget
    assert "Food" in [c.name for c in await ledger.list_categories(owner)]
