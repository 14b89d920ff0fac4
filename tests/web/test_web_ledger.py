"""Ledger pages: expenses with filters and pages, the form's errors beside their field, categories, budgets and
their bars, the monthly chart with its table, CSV import (preview first) and export; isolation between accounts."""

import re

from tests.web.web_support import error_beside, text_of


async def category_id(browser, name: str = "Food") -> str:
    page = await browser.get("/ledger/expenses/new")
    found = re.search(rf'<option value="([0-9a-f-]+)"[^>]*>{name}</option>', page.text)
    assert found, f"no category {name}"
    return found.group(1)


async def add_expense(browser, amount: str, **fields) -> None:
    data = {"amount": amount, "category_id": await category_id(browser, fields.pop("category", "Food")),
            "date": "2026-01-04", "description": "Market", "payment_method": "card", **fields}
    response = await browser.post("/ledger/expenses", data, page="/ledger/expenses/new")
    assert response.status_code == 303, text_of(response)


def meter_value(page, name: str) -> float:
    found = re.search(rf'<meter[^>]*value="([0-9.]+)"\s+aria-label="{name}', page.text, re.S)
    assert found, f"no bar for {name}"
    return float(found.group(1))


async def test_an_expense_moves_its_budget_bar_and_the_monthly_chart(browser):
    await browser.sign_up()
    groceries = await category_id(browser)
    made = await browser.post("/ledger/budgets", {"amount": "200", "period": "monthly", "category_id": groceries,
                                                  "start_date": "2026-01-01"}, page="/ledger/budgets")
    assert made.status_code == 303
    assert meter_value(await browser.get("/ledger/budgets"), "Food") == 0
    await add_expense(browser, "50.00")
    budgets = await browser.get("/ledger/budgets")
    assert meter_value(budgets, "Food") == 0.25 and "150.00 EUR left" in text_of(budgets)
    assert meter_value(await browser.get("/"), "Food") == 0.25  # the home page shows the same bar
    await add_expense(browser, "170.00")
    over = await browser.get("/ledger/budgets")
    assert meter_value(over, "Food") == 1 and "Over budget by 20.00 EUR" in text_of(over)
    report = await browser.get("/ledger/report?from=2025-12&to=2026-01")
    assert "<svg" in report.text and "Food" in report.text
    assert "220.00 EUR" in text_of(report)  # the table under the chart


async def test_filters_and_pages(browser):
    await browser.sign_up()
    for n in range(30):
        await add_expense(browser, f"{n + 1}.00", description=f"Item {n + 1}", tags="food")
    await add_expense(browser, "99.00", description="Bus pass", category="Transport")
    first = await browser.get("/ledger")
    assert "Bus pass" in first.text and "in 31 expenses" in text_of(first)
    more = re.search(r'href="(/ledger\?cursor=[^"]+)"', first.text).group(1).replace("&amp;", "&")
    second = await browser.get(more)
    assert second.status_code == 200 and "Item 1<" in second.text.replace(" <span", "<")
    filtered = await browser.get("/ledger?min_amount=10&max_amount=12&tags=food")
    assert "in 3 expenses" in text_of(filtered) and "Bus pass" not in filtered.text
    bad = await browser.get("/ledger?min_amount=lots")
    assert bad.status_code == 422 and error_beside(bad, "min_amount")


async def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(browser):
    await browser.sign_up()
    page = "/ledger/expenses/new"
    no_category = await browser.post("/ledger/expenses", {"amount": "5", "description": "Tea"}, page=page)
    assert no_category.status_code == 422 and error_beside(no_category, "category_id")
    assert 'value="Tea"' in no_category.text
    groceries = await category_id(browser)
    bad_amount = await browser.post("/ledger/expenses", {"amount": "5.555", "category_id": groceries}, page=page)
    assert bad_amount.status_code == 422 and error_beside(bad_amount, "amount")
    bad_date = await browser.post("/ledger/expenses", {"amount": "5", "category_id": groceries, "date": "someday"},
                                  page=page)
    assert error_beside(bad_date, "date")


async def test_edit_and_delete_an_expense(browser):
    await browser.sign_up()
    await add_expense(browser, "12.00", description="Lunch")
    edit = re.search(r'href="(/ledger/expenses/[0-9a-f-]+/edit)"', (await browser.get("/ledger")).text).group(1)
    form = await browser.get(edit)
    assert 'value="12.00"' in form.text
    target = edit.removesuffix("/edit")
    changed = await browser.post(target, {"amount": "14.50", "category_id": await category_id(browser),
                                          "description": "Lunch"}, page=edit)
    assert changed.status_code == 303 and "14.50 EUR" in text_of(await browser.get("/ledger"))
    assert (await browser.post(target + "/delete", page=edit)).status_code == 303
    assert "Lunch" not in (await browser.get("/ledger")).text


async def test_categories_add_rename_delete(browser):
    await browser.sign_up()
    page = "/ledger/categories"
    assert (await browser.post(page, {"name": "Books"}, page=page)).status_code == 303
    taken = await browser.post(page, {"name": "books"}, page=page)
    assert taken.status_code == 409 and "already" in text_of(taken).lower()
    books = await category_id(browser, "Books")
    assert (await browser.post(f"{page}/{books}", {"name": "Novels"}, page=page)).status_code == 303
    assert "Novels" in (await browser.get(page)).text
    assert (await browser.post(f"{page}/{books}/delete", page=page)).status_code == 303
    assert "Novels" not in (await browser.get(page)).text


CSV = ("date,amount,currency,category,description,payment_method,tags,notes,receipt_url\n"
       "2026-01-02,4.20,EUR,Coffee,Flat white,card,,,\n"
       "2026-01-03,30.00,EUR,Food,Market,cash,food,,\n")


async def test_csv_import_previews_then_imports_and_export_gives_it_back(browser):
    await browser.sign_up()
    upload = {"file": ("expenses.csv", CSV.encode(), "text/csv")}
    preview = await browser.post("/ledger/import", {"dry_run": "on"}, page="/ledger/import", files=upload)
    assert preview.status_code == 200 and "2 of 2 rows would be imported" in text_of(preview)
    assert "Flat white" not in (await browser.get("/ledger")).text
    done = await browser.post("/ledger/import", {}, page="/ledger/import", files=upload)
    assert "Imported 2 of 2 rows" in text_of(done) and "Coffee" in text_of(done)
    again = await browser.post("/ledger/import", {}, page="/ledger/import", files=upload)
    assert "2 already there" in text_of(again)
    bad = await browser.post("/ledger/import", {}, page="/ledger/import",
                             files={"file": ("x.csv", (CSV + "2026-13-01,x,EUR,A,,card,,,\n").encode(), "text/csv")})
    assert bad.status_code == 422 and re.search(r'<td class="num">4</td>', bad.text)
    export = await browser.get("/ledger/expenses/export.csv?q=white")
    assert export.headers["content-type"].startswith("text/csv")
    assert "Flat white" in export.text and "Market" not in export.text


async def test_another_account_sees_none_of_it(browser):
    await browser.sign_up("ada")
    await add_expense(browser, "12.00", description="Secret lunch")
    edit = re.search(r'href="(/ledger/expenses/[0-9a-f-]+/edit)"', (await browser.get("/ledger")).text).group(1)
    adas_category = await category_id(browser)
    browser.forget_cookies()
    await browser.sign_up("bob")
    assert "Secret lunch" not in (await browser.get("/ledger")).text
    assert (await browser.get(edit)).status_code == 404
    assert "Secret lunch" not in (await browser.get("/ledger/expenses/export.csv")).text
    foreign = await browser.post("/ledger/expenses", {"amount": "1", "category_id": adas_category},
                                 page="/ledger/expenses/new")
    assert foreign.status_code in (404, 422) and "Secret" not in foreign.text
