"""For random expenses on both storages, filters, ordering, totals and monthly reports agree with plain Python."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.clock import SettableClock
from adapters.ids import Uuid7Generator
from application.identity.locale import RecentLocales
from application.ledger.categories import CreateCategory
from application.ledger.expenses import CreateExpense, ListExpenses
from application.ledger.reports import GetMonthlyReport
from domain.ledger.periods import add_months
from domain.ledger.query import ExpenseFilter, ExpenseOrder
from tests.factories import account

CATEGORIES = ("A", "B", "C")
TAGS = ("red", "Green", "blue")
WORDS = ("tea", "Taxi", "rent", "")

expenses = st.lists(st.fixed_dictionaries({
    "amount": st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2),
    "currency": st.sampled_from(("EUR", "USD")),
    "spent_on": st.dates(date(2025, 11, 1), date(2026, 3, 31)),
    "category": st.sampled_from(CATEGORIES),
    "payment_method": st.sampled_from(("cash", "card", "other")),
    "tags": st.lists(st.sampled_from(TAGS), max_size=3),
    "description": st.sampled_from(WORDS),
    "notes": st.sampled_from(WORDS),
}), max_size=25)

filters = st.fixed_dictionaries({}, optional={
    "date_from": st.dates(date(2025, 11, 1), date(2026, 1, 31)),
    "date_to": st.dates(date(2026, 1, 1), date(2026, 3, 31)),
    "category": st.sampled_from(CATEGORIES),
    "currency": st.sampled_from(("EUR", "USD")),
    "min_amount": st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2),
    "max_amount": st.decimals(min_value=Decimal("100"), max_value=Decimal("600"), places=2),
    "tags": st.lists(st.sampled_from(("RED", "green", "Blue")), min_size=1, max_size=2),
    "tag_match": st.sampled_from(("any", "all")),
    "payment_method": st.sampled_from(("cash", "card")),
    "text": st.sampled_from(("TEA", "axi", "ren")),
})


def plain_match(e, f) -> bool:
    tags = {t.lower() for t in e["tags"]}
    wanted = {t.lower() for t in f.get("tags", [])}
    return all((
        f.get("date_from", date.min) <= e["spent_on"] <= f.get("date_to", date.max),
        f.get("min_amount", 0) <= e["amount"] <= f.get("max_amount", Decimal("inf")),
        "category" not in f or e["category"] == f["category"],
        "currency" not in f or e["currency"] == f["currency"],
        "payment_method" not in f or e["payment_method"] == f["payment_method"],
        not wanted or (wanted <= tags if f.get("tag_match") == "all" else bool(wanted & tags)),
        "text" not in f or f["text"].lower() in (e["description"] + "\n" + e["notes"]).lower(),
    ))


@pytest.fixture
def ledger(uow_factory):
    clock, ids = SettableClock(), Uuid7Generator()

    async def new_owner():
        owner = account(email=f"{ids.new_id().hex}@example.com", username=ids.new_id().hex)
        async with uow_factory() as uow:
            await uow.accounts.add(owner)
            await uow.commit()
        return owner.id

    return SimpleNamespace(
        new_owner=new_owner, create_category=CreateCategory(uow_factory, clock, ids),
        create_expense=CreateExpense(uow_factory, clock, ids, RecentLocales()), list_expenses=ListExpenses(uow_factory),
        monthly_report=GetMonthlyReport(uow_factory),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=expenses, f=filters, order=st.sampled_from(("date", "-date", "amount", "-amount")),
       limit=st.integers(1, 7))
async def test_store_queries_agree_with_plain_python(ledger, rows, f, order, limit):
    owner, order = await ledger.new_owner(), ExpenseOrder.parse(order)  # the store lives across examples
    ids = {name: (await ledger.create_category(owner, name=name)).id for name in CATEGORIES}
    created = [
        (await ledger.create_expense(owner, category_id=ids[row["category"]], **{
            k: v for k, v in row.items() if k != "category"}), row)
        for row in rows
    ]
    if f.get("date_to", date.max) < f.get("date_from", date.min):
        f = f | {"date_from": f["date_to"], "date_to": f["date_from"]}
    query = {k: v for k, v in f.items() if k != "category"} | (
        {"category_id": ids[f["category"]]} if "category" in f else {})

    matching = [e for e, row in created if plain_match(row, f)]
    pages, cursor = [], None
    while True:
        page = await ledger.list_expenses(owner, filter=ExpenseFilter.create(**query), order=order,
                                          limit=limit, cursor=cursor)
        pages += page.items
        cursor = page.next_cursor
        if cursor is None:
            break
    key = (lambda e: (e.spent_on, e.id)) if order.field == "date" else (lambda e: (e.money.amount, e.id))
    assert [e.id for e in pages] == [e.id for e in sorted(matching, key=key, reverse=order.descending)]

    sums = defaultdict(lambda: [Decimal(0), 0])
    for e in matching:
        sums[e.money.currency][0] += e.money.amount
        sums[e.money.currency][1] += 1
    assert [(t.currency, t.total.amount, t.count) for t in page.totals] == [(c, *sums[c]) for c in sorted(sums)]

    report = await ledger.monthly_report(owner, first=date(2025, 11, 1), last=date(2026, 3, 1))
    per_cell, per_month = defaultdict(lambda: [Decimal(0), 0]), defaultdict(lambda: [Decimal(0), 0])
    for e, _ in created:
        month = e.spent_on.replace(day=1)
        for bucket in (per_cell[(month, e.category_id, e.money.currency)], per_month[(month, e.money.currency)]):
            bucket[0] += e.money.amount
            bucket[1] += 1
    assert [m.month for m in report] == [add_months(date(2025, 11, 1), n) for n in range(5)]
    assert {(m.month, c.category_id, c.currency): [c.total.amount, c.count] for m in report for c in m.categories} == per_cell
    assert {(m.month, t.currency): [t.total.amount, t.count] for m in report for t in m.totals if t.count} == per_month
    assert all(t.total.amount == 0 for m in report for t in m.totals if not t.count)
