"""The ledger repositories' contract, on memory and on PostgreSQL: same rows, same order, same errors."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from domain.ledger.budget import Budget
from domain.ledger.category import Category, CategoryHasBudgets, CategoryHasExpenses, CategoryNameTaken
from domain.ledger.expense import Expense
from domain.ledger.periods import Period
from domain.ledger.query import ExpenseFilter, ExpenseOrder
from domain.shared.errors import InvalidValue
from tests.factories import NOW, account, new_id


async def owners(uow_factory, count=2):
    made = [account(f"owner{n}@example.com", f"owner{n}") for n in range(count)]
    async with uow_factory() as uow:
        for owner in made:
            await uow.accounts.add(owner)
        await uow.commit()
    return [owner.id for owner in made]


def category(owner_id, name="Food"):
    return Category.create(id=new_id(), owner_id=owner_id, name=name, now=NOW)


def expense(owner_id, category_id, amount="1", day=date(2026, 1, 15), **fields):
    return Expense.create(id=new_id(), owner_id=owner_id, now=NOW, amount=amount, currency=fields.pop("currency", "EUR"),
                          spent_on=day, category_id=category_id, **fields)


def budget(owner_id, category_id=None, start=date(2026, 1, 1), end=None, period="monthly"):
    return Budget.create(id=new_id(), owner_id=owner_id, now=NOW, amount="100", currency="EUR", period=period,
                         category_id=category_id, start_date=start, end_date=end, rollover=False)


async def stored(uow_factory, *rows):
    """Add categories, expenses and budgets in one committed transaction."""
    async with uow_factory() as uow:
        for row in rows:
            repository = {Category: uow.categories, Expense: uow.expenses, Budget: uow.budgets}[type(row)]
            await repository.add(row)
        await uow.commit()


async def test_categories_round_trip_sorted_by_name_ignoring_case_and_scoped_to_owner(uow_factory):
    ada, bob = await owners(uow_factory)
    names = ["bills", "Food", "alpha", "Zoo", "_misc", "Ärzte"]
    made = [category(ada, name) for name in names]
    await stored(uow_factory, *made, category(bob, "Food"))
    async with uow_factory() as uow:
        listed = await uow.categories.all(ada)
        assert [c.name for c in listed] == sorted(names, key=str.lower)
        assert await uow.categories.get(ada, made[1].id) == made[1]
        assert await uow.categories.get(bob, made[1].id) is None
        assert await uow.categories.get_by_name(ada, "FOOD") == made[1]
        assert await uow.categories.get_by_name(ada, "ärzte") == made[5]
        assert await uow.categories.remove(bob, made[0].id) is False
        assert await uow.categories.remove(ada, made[0].id) is True
        await uow.commit()
    async with uow_factory() as uow:
        assert len(await uow.categories.all(ada)) == 5 and len(await uow.categories.all(bob)) == 1


async def test_a_category_name_is_unique_per_owner_ignoring_case(uow_factory):
    ada, _ = await owners(uow_factory)
    food, other = category(ada, "Food"), category(ada, "Other")
    await stored(uow_factory, food, other)
    with pytest.raises(CategoryNameTaken):
        async with uow_factory() as uow:
            await uow.categories.add(category(ada, "fOOD"))
    with pytest.raises(CategoryNameTaken):
        async with uow_factory() as uow:
            await uow.categories.save(replace(other, name="FOOD"))
    async with uow_factory() as uow:
        await uow.categories.save(replace(food, name="Groceries"))
        await uow.categories.add(category(ada, "food"))
        await uow.commit()


async def test_add_missing_adds_in_one_go_only_the_names_the_owner_lacks(uow_factory):
    ada, bob = await owners(uow_factory)
    food = category(ada, "Food")
    await stored(uow_factory, food, category(bob, "Rent"))
    wanted = [category(ada, "FOOD"), category(ada, "Rent"), category(ada, "Travel")]
    async with uow_factory() as uow:
        await uow.categories.add_missing(wanted)
        await uow.categories.add_missing(wanted)  # again: nothing more
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.categories.all(ada) == [food, wanted[1], wanted[2]]
        assert [c.name for c in await uow.categories.all(bob)] == ["Rent"]


async def test_a_category_in_use_cannot_be_removed(uow_factory):
    ada, _ = await owners(uow_factory)
    food, rent = category(ada, "Food"), category(ada, "Rent")
    await stored(uow_factory, food, rent, expense(ada, food.id), budget(ada, rent.id))
    both = category(ada, "Both")
    await stored(uow_factory, both, expense(ada, both.id), budget(ada, both.id))
    for used, error in ((food, CategoryHasExpenses), (rent, CategoryHasBudgets), (both, CategoryHasBudgets)):
        with pytest.raises(error):
            async with uow_factory() as uow:
                await uow.categories.remove(ada, used.id)


async def test_an_expense_or_budget_never_points_at_another_owners_category(uow_factory):
    ada, bob = await owners(uow_factory)
    foreign = category(bob)
    mine = category(ada)
    await stored(uow_factory, foreign, mine)
    for row in (expense(ada, foreign.id), budget(ada, foreign.id)):
        with pytest.raises(InvalidValue) as error:
            await stored(uow_factory, row)
        assert (error.value.code, error.value.field) == ("unknown_category", "category_id")
    kept = expense(ada, mine.id)
    await stored(uow_factory, kept)
    with pytest.raises(InvalidValue):
        async with uow_factory() as uow:
            await uow.expenses.save(replace(kept, category_id=foreign.id))


async def test_expenses_round_trip_exactly_and_only_for_their_owner(uow_factory):
    ada, bob = await owners(uow_factory)
    food = category(ada)
    full = expense(ada, food.id, "1234567890.99", currency="JPY", description="Lunch", payment_method="card",
                   tags=["Work", "team"], notes="a\nb", receipt_url="https://example.com/r")
    bare = expense(ada, food.id)
    await stored(uow_factory, food, full, bare)
    async with uow_factory() as uow:
        assert await uow.expenses.get(ada, full.id) == full
        assert await uow.expenses.get(ada, bare.id) == bare
        assert await uow.expenses.get(bob, full.id) is None
        assert await uow.expenses.remove(bob, full.id) is False
        changed = full.edit(now=NOW, amount="0.01", tags=["x"], notes=None)
        await uow.expenses.save(changed)
        assert await uow.expenses.remove(ada, bare.id) is True
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.expenses.get(ada, full.id) == changed
        assert await uow.expenses.get(ada, bare.id) is None


async def test_filters_match_inclusively_ignoring_case_and_escape_like_wildcards(uow_factory):
    ada, bob = await owners(uow_factory)
    food, rent = category(ada, "Food"), category(ada, "Rent")
    rows = {
        "a": expense(ada, food.id, "10", date(2026, 1, 1), tags=["Red", "blue"], description="50% off"),
        "b": expense(ada, food.id, "20", date(2026, 1, 31), tags=["red"], notes="snake_case", payment_method="cash"),
        "c": expense(ada, rent.id, "30", date(2026, 2, 1), currency="USD", description="Rent"),
        "d": expense(ada, rent.id, "40.5", date(2026, 2, 2), tags=["BLUE"], notes="plain"),
    }
    bobs = category(bob)
    await stored(uow_factory, food, rent, *rows.values(), bobs, expense(bob, bobs.id, "10", date(2026, 1, 1)))

    cases = [
        (dict(), "abcd"),
        (dict(date_from=date(2026, 1, 31), date_to=date(2026, 2, 1)), "bc"),
        (dict(min_amount="20", max_amount="30"), "bc"),
        (dict(category_id=rent.id), "cd"),
        (dict(currency="usd"), "c"),
        (dict(payment_method="cash"), "b"),
        (dict(tags=["RED"]), "ab"),
        (dict(tags=["red", "Blue"]), "abd"),
        (dict(tags=["red", "Blue"], tag_match="all"), "a"),
        (dict(text="%"), "a"),
        (dict(text="_"), "b"),
        (dict(text="RENT"), "c"),
        (dict(text="e_c"), "b"),
        (dict(text="zz"), ""),
    ]
    async with uow_factory() as uow:
        for query, expected in cases:
            found = await uow.expenses.page(ada, ExpenseFilter.create(**query), ExpenseOrder.parse("date"),
                                            after=None, limit=10)
            assert [e.id for e in found] == [rows[key].id for key in expected], query


async def test_pages_follow_the_order_with_ties_broken_by_id(uow_factory):
    ada, _ = await owners(uow_factory)
    food = category(ada)
    made = [expense(ada, food.id, amount, day) for amount, day in [
        ("5", date(2026, 1, 2)), ("5", date(2026, 1, 1)), ("1", date(2026, 1, 2)), ("9", date(2026, 1, 3)),
        ("5", date(2026, 1, 2)),
    ]]
    await stored(uow_factory, food, *made)
    for sort in ("date", "-date", "amount", "-amount"):
        order = ExpenseOrder.parse(sort)
        expected = sorted(made, key=order.key, reverse=order.descending)
        seen, after = [], None
        async with uow_factory() as uow:
            while page := await uow.expenses.page(ada, ExpenseFilter(), order, after=after, limit=2):
                seen += page
                after = order.key(page[-1])
        assert [e.id for e in seen] == [e.id for e in expected], sort


async def test_totals_are_exact_per_currency(uow_factory):
    ada, _ = await owners(uow_factory)
    food = category(ada)
    await stored(uow_factory, food, expense(ada, food.id, "0.10"), expense(ada, food.id, "0.20"),
                 expense(ada, food.id, "9999999999.99", currency="USD"),
                 expense(ada, food.id, "9999999999.99", currency="USD"))
    async with uow_factory() as uow:
        totals = await uow.expenses.totals(ada, ExpenseFilter())
        assert [(t.currency, str(t.total.amount), t.count) for t in totals] == [
            ("EUR", "0.30", 2), ("USD", "19999999999.98", 2)]
        assert await uow.expenses.totals(ada, ExpenseFilter(currency="GBP")) == []


async def test_monthly_totals_group_by_month_currency_and_category_in_order(uow_factory):
    ada, _ = await owners(uow_factory)
    food, rent = category(ada, "Food"), category(ada, "Rent")
    first, second = sorted((food.id, rent.id))
    await stored(uow_factory, food, rent, *[expense(ada, cat, amount, day, currency=cur) for amount, day, cat, cur in [
        ("1.10", date(2025, 12, 31), food.id, "EUR"), ("2.20", date(2026, 1, 1), food.id, "EUR"),
        ("3.30", date(2026, 1, 31), food.id, "EUR"), ("4", date(2026, 1, 15), rent.id, "EUR"),
        ("5", date(2026, 1, 15), food.id, "USD"), ("6", date(2026, 3, 1), food.id, "EUR"),
    ]])
    async with uow_factory() as uow:
        rows = await uow.expenses.monthly_totals(ada, date(2026, 1, 1), date(2026, 2, 28))
    jan = date(2026, 1, 1)
    totals = {food.id: (Decimal("5.50"), 2), rent.id: (Decimal("4.00"), 1)}
    assert [(r.month, r.currency, r.category_id, r.total.amount, r.count) for r in rows] == [
        (jan, "EUR", first, *totals[first]), (jan, "EUR", second, *totals[second]),
        (jan, "USD", food.id, Decimal("5.00"), 1),
    ]


async def test_reassigning_moves_expenses_and_their_fingerprints(uow_factory):
    ada, _ = await owners(uow_factory)
    food, rent = category(ada, "Food"), category(ada, "Rent")
    moving = [expense(ada, food.id, "1"), expense(ada, food.id, "2")]
    await stored(uow_factory, food, rent, *moving, expense(ada, rent.id, "3"))
    async with uow_factory() as uow:
        assert await uow.expenses.has_category(ada, food.id)
        assert await uow.expenses.reassign_category(ada, food.id, rent.id, NOW) == 2
        await uow.commit()
    async with uow_factory() as uow:
        assert not await uow.expenses.has_category(ada, food.id)
        for before in moving:
            assert await uow.expenses.get(ada, before.id) == before.edit(now=NOW, category_id=rent.id)
        assert await uow.expenses.reassign_category(ada, food.id, rent.id, NOW) == 0


async def test_fingerprints_are_counted_per_owner(uow_factory):
    ada, bob = await owners(uow_factory)
    food, bobs = category(ada), category(bob)
    twice = expense(ada, food.id, "7")
    await stored(uow_factory, food, bobs, twice, expense(ada, food.id, "7"), expense(ada, food.id, "8"),
                 expense(bob, bobs.id, "7"))
    async with uow_factory() as uow:
        await uow.expenses.lock_for_import(ada)
        counts = await uow.expenses.count_fingerprints(ada, [twice.fingerprint, "unknown"])
        assert counts == {twice.fingerprint: 2}
        assert await uow.expenses.count_fingerprints(ada, []) == {}


async def test_add_many_rolls_back_as_one(uow_factory):
    ada, _ = await owners(uow_factory)
    food = category(ada)
    await stored(uow_factory, food)
    async with uow_factory() as uow:
        await uow.expenses.add_many([expense(ada, food.id, str(n + 1)) for n in range(1500)])
        assert (await uow.expenses.totals(ada, ExpenseFilter()))[0].count == 1500
    async with uow_factory() as uow:
        assert await uow.expenses.totals(ada, ExpenseFilter()) == []


async def test_budgets_overlap_by_category_period_and_dates(uow_factory):
    ada, bob = await owners(uow_factory)
    food = category(ada)
    overall = budget(ada, None, date(2026, 1, 1), date(2026, 6, 30))
    open_ended = budget(ada, food.id, date(2026, 3, 1))
    await stored(uow_factory, food, overall, open_ended, budget(ada, food.id, date(2020, 1, 1), period="weekly"))
    async with uow_factory() as uow:
        find = uow.budgets.find_overlapping
        monthly = Period.MONTHLY
        assert await find(ada, category_id=None, period=monthly, start=date(2026, 6, 30), end=None) == overall
        assert await find(ada, category_id=None, period=monthly, start=date(2026, 7, 1), end=None) is None
        assert await find(ada, category_id=None, period=monthly, start=date(2025, 1, 1),
                          end=date(2025, 12, 31)) is None
        assert await find(ada, category_id=None, period=monthly, start=date(2026, 1, 1), end=None,
                          exclude_id=overall.id) is None
        assert await find(ada, category_id=food.id, period=monthly, start=date(2025, 1, 1),
                          end=date(2026, 3, 1)) == open_ended
        assert await find(ada, category_id=food.id, period=Period.YEARLY, start=date(2026, 3, 1), end=None) is None
        assert await find(bob, category_id=None, period=monthly, start=date(2026, 1, 1), end=None) is None
        assert await uow.budgets.uses_category(ada, food.id) and not await uow.budgets.uses_category(bob, food.id)
        assert [b.id for b in await uow.budgets.all(ada)] == sorted(b.id for b in await uow.budgets.all(ada))
        assert await uow.budgets.get(bob, overall.id) is None
        assert await uow.budgets.remove(bob, overall.id) is False
        edited = overall.edit(now=NOW, amount="12.34", rollover=True, end_date=None)
        await uow.budgets.save(edited)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.budgets.get(ada, overall.id) == edited
        assert await uow.budgets.remove(ada, overall.id) is True


async def test_removing_another_owners_category_in_use_finds_nothing(uow_factory):
    ada, bob = await owners(uow_factory)
    food = category(ada)
    await stored(uow_factory, food, expense(ada, food.id))
    async with uow_factory() as uow:
        assert await uow.categories.remove(bob, food.id) is False
