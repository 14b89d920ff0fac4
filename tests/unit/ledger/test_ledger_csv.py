import csv
from datetime import date
from decimal import Decimal

import pytest

from application.ledger.imports import ImportRejected
from domain.ledger.query import ExpenseFilter

HEADER = "date,amount,currency,category,description,payment_method,tags,notes,receipt_url\n"


async def export(ledger, owner, **filters) -> str:
    return "".join([chunk async for chunk in ledger.export_expenses_csv(owner, filter=ExpenseFilter.create(**filters))])


async def everything(ledger, owner):
    return (await ledger.list_expenses(owner, limit=200)).items


async def test_export_writes_the_documented_columns_and_escapes_formulas(ledger, owner, food):
    await ledger.create_expense(
        owner, amount="12.5", category_id=food, spent_on=date(2026, 1, 2), description="=HYPERLINK(\"x\")",
        payment_method="card", tags=["a", "b c"], notes="two\nlines, \"quoted\"", receipt_url="https://x.org/r",
    )
    await ledger.create_expense(owner, amount="1", category_id=food, spent_on=date(2025, 1, 1))
    text = await export(ledger, owner, date_from=date(2026, 1, 1))
    rows = list(csv.reader(text.splitlines(keepends=True)))
    assert rows == [
        HEADER.strip().split(","),
        ["2026-01-02", "12.50", "EUR", "Food", "'=HYPERLINK(\"x\")", "card", "a,b c", "two\nlines, \"quoted\"",
         "https://x.org/r"],
    ]


async def test_export_then_import_into_another_account_round_trips(ledger, owner, stranger, food):
    for n in range(2500):
        await ledger.create_expense(owner, amount=f"{n + 1}.05", category_id=food, spent_on=date(2026, 1, 1 + n % 28),
                                    tags=["x"] if n % 2 else [], description="-minus" if n == 7 else None)
    text = await export(ledger, owner)
    assert text.count("\n") == 2501

    result = await ledger.import_expenses_csv(stranger, text.splitlines(keepends=True))

    # the stranger's own default Food category takes them
    assert (result.rows, result.imported, result.duplicates, result.created_categories) == (2500, 2500, 0, ())
    assert sorted(text.splitlines()) == sorted((await export(ledger, stranger)).splitlines())
    assert (await ledger.list_expenses(stranger)).totals == (await ledger.list_expenses(owner)).totals
    again = await ledger.import_expenses_csv(owner, text.splitlines(keepends=True))
    assert (again.imported, again.duplicates) == (0, 2500)


async def test_import_is_idempotent_and_keeps_identical_rows(ledger, owner):
    lines = [
        HEADER,
        "2026-01-05,3.50,,Coffee,Espresso,cash,,,\n",
        "2026-01-05,3.50,,coffee,Espresso,cash,,,\n",
        "2026-01-06,20,usd,Books,,card,\"Work, Study\",,\n",
    ]
    await ledger.set_locale(owner, currency="GBP")
    first = await ledger.import_expenses_csv(owner, lines)
    assert (first.imported, first.duplicates, first.created_categories) == (3, 0, ("Coffee", "Books"))
    second = await ledger.import_expenses_csv(owner, lines)
    assert (second.imported, second.duplicates, second.created_categories) == (0, 3, ())
    third = await ledger.import_expenses_csv(owner, lines + ["2026-01-05,3.50,GBP,COFFEE,Espresso,cash,,,\n"])
    assert (third.imported, third.duplicates) == (1, 3)
    expenses = await everything(ledger, owner)
    assert len(expenses) == 4
    assert {(str(e.money.amount), e.money.currency, e.tags) for e in expenses} == {
        ("3.50", "GBP", ()), ("20.00", "USD", ("Work", "Study"))}


async def test_import_is_all_or_nothing_with_line_numbers(ledger, owner, food):
    lines = [
        HEADER,
        "2026-01-05,3.50,,Food,ok,,,,\n",
        "2026-01-05,0,,Food,,,,\"multi\nline\",\n",
        "2026-02-30,1.234,EURO,,,cheque,,,ftp://x\n",
        "2026-01-07,2\n",
        "\n",
        "2026-01-05,4,,New category,,,,,\n",
    ]
    with pytest.raises(ImportRejected) as rejected:
        await ledger.import_expenses_csv(owner, "".join(lines).splitlines(keepends=True))
    errors = [(e.line, e.field) for e in rejected.value.errors]
    assert errors == [
        (3, "amount"),
        (5, "date"), (5, "amount"), (5, "currency"), (5, "category"), (5, "payment_method"), (5, "receipt_url"),
        (6, "row"),
    ]
    assert await everything(ledger, owner) == []
    assert [c.name for c in await ledger.list_categories(owner)] == [
        "Bills", "Entertainment", "Food", "Health", "Shopping", "Transport"]


async def test_dry_run_reports_without_keeping_anything(ledger, owner):
    categories = await ledger.list_categories(owner)
    result = await ledger.import_expenses_csv(owner, [HEADER, "2026-01-05,3.50,,Snacks,,,,,\n"], dry_run=True)
    assert (result.imported, result.created_categories, result.dry_run) == (1, ("Snacks",), True)
    assert await everything(ledger, owner) == [] and await ledger.list_categories(owner) == categories


@pytest.mark.parametrize("lines", [
    [], ["when,how much\n"], ["date,amount\n"], ["\ufeffdate,amount,category,category\n"],
])
async def test_a_bad_header_is_rejected(ledger, owner, lines):
    with pytest.raises(ImportRejected) as rejected:
        await ledger.import_expenses_csv(owner, lines)
    assert rejected.value.errors[0].line == 1


async def test_import_accepts_a_subset_of_columns_in_any_order_with_a_bom(ledger, owner):
    result = await ledger.import_expenses_csv(owner, ["\ufeffCategory,Amount,Date\n", "Rent,1200,2026-01-01\n"])
    assert result.imported == 1
    [expense] = await everything(ledger, owner)
    assert (expense.money.amount, expense.money.currency, expense.payment_method) == (Decimal("1200.00"), "EUR", "other")


async def test_import_streams_lines_lazily(ledger, owner):
    consumed = 0

    def lines():
        nonlocal consumed
        yield "date,amount,category\n"
        for n in range(3000):
            consumed += 1
            yield f"2026-01-01,{n + 1},Bulk\n"

    result = await ledger.import_expenses_csv(owner, lines())
    assert consumed == result.imported == 3000
