from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from application.shared.pages import encode_cursor
from domain.ledger.expense import ExpenseNotFound
from domain.ledger.query import ExpenseFilter, ExpenseOrder
from domain.shared.errors import InvalidValue


async def test_an_expense_keeps_exact_money_and_normalized_details(ledger, owner, food):
    expense = await ledger.create_expense(
        owner, amount="12.5", category_id=food, currency="usd", spent_on=date(2026, 2, 28),
        description="  Lunch ", payment_method="card", tags=["Work", " work", "team "],
        notes="line 1\nline 2", receipt_url="https://example.com/r.png",
    )
    stored = await ledger.get_expense(owner, expense.id)
    assert stored == expense
    assert (str(stored.money.amount), stored.money.currency, stored.description, stored.tags) == (
        "12.50", "USD", "Lunch", ("Work", "team"))


async def test_currency_and_date_default_to_the_accounts(ledger, owner, food, clock):
    clock.set(datetime(2026, 3, 31, 22, 30, tzinfo=UTC))
    await ledger.set_locale(owner, time_zone="Asia/Tokyo")
    expense = await ledger.create_expense(owner, amount=5, category_id=food)
    assert (expense.money.currency, expense.spent_on, expense.payment_method) == ("EUR", date(2026, 4, 1), "other")
    await ledger.set_locale(owner, currency="CHF")
    other = await ledger.create_expense(owner, amount=5, category_id=food)
    assert (other.money.currency, other.spent_on) == ("CHF", date(2026, 3, 31))


async def test_totals_are_exact(ledger, owner, food):
    for amount in ("0.10", "0.20"):
        await ledger.create_expense(owner, amount=amount, category_id=food, spent_on=date(2026, 1, 1))
    await ledger.create_expense(owner, amount="0.30", category_id=food, spent_on=date(2026, 1, 1), currency="USD")
    listed = await ledger.list_expenses(owner)
    assert [(t.currency, str(t.total.amount), t.count) for t in listed.totals] == [("EUR", "0.30", 2), ("USD", "0.30", 1)]
    assert listed.totals[0].total.amount == Decimal("0.30")


@pytest.mark.parametrize("bad", [
    dict(amount="0"), dict(amount="-1"), dict(amount="1.234"), dict(amount="NaN"), dict(amount="abc"),
    dict(amount="1", currency="EURO"), dict(amount="1", payment_method="cheque"),
    dict(amount="1", description="x" * 256), dict(amount="1", notes="x" * 10_001),
    dict(amount="1", receipt_url="javascript:alert(1)"), dict(amount="1", tags=[""]),
    dict(amount="1", spent_on=date(1800, 1, 1)),
])
async def test_bad_expenses_are_rejected(ledger, owner, food, bad):
    with pytest.raises(InvalidValue):
        await ledger.create_expense(owner, category_id=food, **bad)
    assert (await ledger.list_expenses(owner)).items == []


async def test_another_owners_category_is_never_linked(ledger, owner, stranger, food):
    with pytest.raises(InvalidValue) as error:
        await ledger.create_expense(stranger, amount="1", category_id=food)
    assert error.value.code == "unknown_category"
    mine = await ledger.create_category(stranger, name="Mine")
    expense = await ledger.create_expense(stranger, amount="1", category_id=mine.id)
    with pytest.raises(InvalidValue):
        await ledger.update_expense(stranger, expense.id, category_id=food)
    with pytest.raises(InvalidValue):
        await ledger.create_budget(stranger, amount="1", category_id=food)
    assert (await ledger.get_expense(stranger, expense.id)).category_id == mine.id


async def test_update_changes_only_what_is_given_and_clears_with_none(ledger, owner, food):
    expense = await ledger.create_expense(owner, amount="9.99", category_id=food, description="Pizza",
                                          notes="extra cheese", spent_on=date(2026, 1, 1))
    updated = await ledger.update_expense(owner, expense.id, amount="10", notes=None)
    assert (updated.money.amount, updated.description, updated.notes, updated.spent_on) == (
        Decimal("10.00"), "Pizza", None, date(2026, 1, 1))
    assert updated.fingerprint != expense.fingerprint
    with pytest.raises(InvalidValue):
        await ledger.update_expense(owner, expense.id, amount="0")
    await ledger.delete_expense(owner, expense.id)
    with pytest.raises(ExpenseNotFound):
        await ledger.get_expense(owner, expense.id)


async def test_filters_sorting_and_cursor_pages(ledger, owner, food):
    transport = (await ledger.create_category(owner, name="Train")).id
    rows = [
        ("5.00", food, date(2026, 1, 3), "cash", ["Coffee"], "Flat white", None),
        ("42.00", transport, date(2026, 1, 1), "card", ["work", "trip"], "Ticket", "to Lyon"),
        ("7.50", food, date(2026, 1, 2), "card", ["coffee", "work"], None, "with Anna"),
        ("42.00", food, date(2026, 2, 1), "bank_transfer", [], "Groceries", None),
    ]
    created = [
        await ledger.create_expense(owner, amount=a, category_id=c, spent_on=d, payment_method=p, tags=t,
                                    description=desc, notes=n)
        for a, c, d, p, t, desc, n in rows
    ]
    amounts = lambda result: [str(e.money.amount) for e in result.items]  # noqa: E731

    async def listed(order="-date", **filters):
        filter_, order_ = ExpenseFilter.create(**filters), ExpenseOrder.parse(order)
        return await ledger.list_expenses(owner, filter=filter_, order=order_)

    assert amounts(await listed()) == ["42.00", "5.00", "7.50", "42.00"]
    assert amounts(await listed("amount")) == ["5.00", "7.50", "42.00", "42.00"]
    assert amounts(await listed(date_from=date(2026, 1, 2), date_to=date(2026, 1, 3))) == ["5.00", "7.50"]
    assert amounts(await listed(category_id=transport)) == ["42.00"]
    assert amounts(await listed(min_amount="7.5", max_amount="42")) == ["42.00", "7.50", "42.00"]
    assert amounts(await listed(tags=["COFFEE"])) == ["5.00", "7.50"]
    assert amounts(await listed(tags=["coffee", "work"], tag_match="all")) == ["7.50"]
    assert amounts(await listed(tags=["coffee", "trip"])) == ["5.00", "7.50", "42.00"]
    assert amounts(await listed(payment_method="card")) == ["7.50", "42.00"]
    assert amounts(await listed(text="LYON")) == ["42.00"]
    assert amounts(await listed(text="anna")) == ["7.50"]
    assert (await listed(text="lyon")).totals[0].total.amount == Decimal("42.00")

    seen, cursor = [], None
    while True:
        page = await ledger.list_expenses(owner, order=ExpenseOrder.parse("-amount"), limit=1, cursor=cursor)
        seen += page.items
        assert page.totals[0].count == 4
        cursor = page.next_cursor
        if cursor is None:
            break
    by_amount_desc = sorted(created, key=lambda e: (e.money.amount, e.id), reverse=True)
    assert [e.id for e in seen] == [e.id for e in by_amount_desc]
    with pytest.raises(InvalidValue):
        foreign = encode_cursor((ExpenseOrder.parse("-amount"), Decimal("5.00"), uuid4()))
        await ledger.list_expenses(owner, order=ExpenseOrder.parse("date"), cursor=foreign)
    with pytest.raises(InvalidValue):
        await ledger.list_expenses(owner, cursor="garbage")
    with pytest.raises(InvalidValue):
        await ledger.list_expenses(owner, limit=0)

