from datetime import date

import pytest

from domain.ledger.category import CategoryHasBudgets, CategoryHasExpenses, CategoryNameTaken, CategoryNotFound
from domain.shared.errors import InvalidValue


async def test_a_new_account_starts_with_the_six_default_categories(ledger, owner):
    categories = await ledger.list_categories(owner)
    assert sorted(c.name for c in categories) == ["Bills", "Entertainment", "Food", "Health", "Shopping", "Transport"]
    assert [c.name for c in categories] == sorted(c.name for c in categories)
    assert all(c.color.startswith("#") and len(c.color) == 7 and c.icon for c in categories)


async def test_names_are_unique_per_owner_ignoring_case(ledger, owner, stranger, food):
    with pytest.raises(CategoryNameTaken):
        await ledger.create_category(owner, name=" fOOD ")
    await ledger.create_category(stranger, name="pets")  # another owner's name is free
    pets = await ledger.create_category(owner, name="Pets", color="#00ff00", icon="paw-print")
    assert (pets.color, pets.icon) == ("#00FF00", "paw-print")
    with pytest.raises(CategoryNameTaken):
        await ledger.update_category(owner, pets.id, name="food")
    renamed = await ledger.update_category(owner, food, name="Groceries")
    assert renamed.name == "Groceries"
    await ledger.create_category(owner, name="FOOD")


async def test_deleting_a_category_with_expenses_needs_a_reassignment(ledger, owner, food):
    transport = next(c for c in await ledger.list_categories(owner) if c.name == "Transport").id
    expense = await ledger.create_expense(owner, amount="3", category_id=food, spent_on=date(2026, 1, 2))

    with pytest.raises(CategoryHasExpenses):
        await ledger.delete_category(owner, food)
    with pytest.raises(InvalidValue):
        await ledger.delete_category(owner, food, reassign_to=food)
    assert await ledger.delete_category(owner, food, reassign_to=transport) == 1

    assert (await ledger.get_expense(owner, expense.id)).category_id == transport
    assert "Food" not in [c.name for c in await ledger.list_categories(owner)]
    with pytest.raises(CategoryNotFound):
        await ledger.delete_category(owner, food)
    assert await ledger.delete_category(owner, (await ledger.create_category(owner, name="Empty")).id) == 0


async def test_a_category_in_use_by_a_budget_is_kept(ledger, owner, food):
    health = next(c for c in await ledger.list_categories(owner) if c.name == "Health").id
    await ledger.create_budget(owner, amount="10", category_id=food)
    with pytest.raises(CategoryHasBudgets):
        await ledger.delete_category(owner, food, reassign_to=health)
    assert food in [c.id for c in await ledger.list_categories(owner)]


async def test_bad_category_values_are_rejected(ledger, owner):
    before = await ledger.list_categories(owner)
    for bad in (dict(name=""), dict(name="x" * 51), dict(name="ok", color="blue"), dict(name="ok", icon="Bad Icon")):
        with pytest.raises(InvalidValue):
            await ledger.create_category(owner, **bad)
    assert await ledger.list_categories(owner) == before
