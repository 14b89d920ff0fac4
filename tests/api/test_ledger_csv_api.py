"""CSV export and import over HTTP on both storages: round trips, all or nothing, idempotent."""

import csv
import io

from tests.api.ledger_support import (
    CATEGORIES, CSV_HEADER, EXPENSES, EXPORT, IMPORT, category_ids, sign_up, spend,
)


async def export(api, headers, **params) -> str:
    response = await api.get(EXPORT, headers=headers, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return response.text


async def upload(api, headers, text: str | bytes, **form):
    return await api.post(IMPORT, headers=headers, files={"file": ("expenses.csv", text, "text/csv")}, data=form)


async def everything(api, headers) -> list[dict]:
    return (await api.get(EXPENSES, headers=headers, params={"limit": 200})).json()["items"]


async def test_export_then_import_into_another_account_and_again_adds_nothing(api):
    ada, bob = await sign_up(api), await sign_up(api, "bob")
    ids = await category_ids(api, ada)
    pets = (await api.post(CATEGORIES, headers=ada, json={"name": "Pets"})).json()["id"]
    await spend(api, ada, "0.10", ids["Food"], "2026-01-02", description='Tea, "green"', tags=["a", "B c"],
                notes="two\nlines", payment_method="card", receipt_url="https://example.com/r")
    await spend(api, ada, "0.20", ids["Food"], "2026-01-02")
    await spend(api, ada, "0.20", ids["Food"], "2026-01-02")  # an identical row is a second expense, not a duplicate
    await spend(api, ada, "12", pets, "2026-01-03", currency="USD", description="=HYPERLINK(\"x\")")

    text = await export(api, ada)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CSV_HEADER.split(",") and len(rows) == 5
    assert ["2026-01-03", "12.00", "USD", "Pets", "'=HYPERLINK(\"x\")", "other", "", "", ""] in rows

    imported = await upload(api, bob, text)
    assert imported.status_code == 200, imported.text
    assert imported.json() == {"rows": 4, "imported": 4, "duplicates": 0, "created_categories": ["Pets"],
                               "dry_run": False}
    assert sorted((await export(api, bob)).splitlines()) == sorted(text.splitlines())
    totals = (await api.get(EXPENSES, headers=bob)).json()["totals"]
    assert totals == [{"currency": "EUR", "total": "0.50", "count": 3}, {"currency": "USD", "total": "12.00", "count": 1}]

    again = await upload(api, bob, text)
    assert (again.json()["imported"], again.json()["duplicates"]) == (0, 4)
    assert len(await everything(api, bob)) == 4
    assert (await upload(api, ada, text)).json()["imported"] == 0


async def test_export_uses_the_list_filters(api):
    ada = await sign_up(api)
    ids = await category_ids(api, ada)
    await spend(api, ada, "1", ids["Food"], "2026-01-01")
    await spend(api, ada, "2", ids["Bills"], "2026-01-02")
    await spend(api, ada, "3", ids["Food"], "2026-02-01")
    text = await export(api, ada, category_id=ids["Food"], **{"from": "2026-01-01", "to": "2026-01-31"})
    assert text.splitlines()[1:] == ["2026-01-01,1.00,EUR,Food,,other,,,"]
    assert (await api.get(EXPORT, headers=ada, params={"min_amount": "-1"})).status_code == 422


async def test_an_import_with_bad_rows_imports_nothing_and_names_each_line(api):
    ada = await sign_up(api)
    text = "\n".join([
        CSV_HEADER,
        "2026-01-05,3.50,,Food,ok,,,,",
        "2026-01-05,0,,Food,,,,,",
        "2026-02-30,1.234,EURO,,,cheque,,,ftp://x",
        "2026-01-07,2",
        "2026-01-05,4,,Brand new category,,,,,",
    ]) + "\n"
    response = await upload(api, ada, text)
    assert response.status_code == 422
    body = response.json()
    assert response.headers["content-type"] == "application/problem+json" and body["code"] == "import_rejected"
    assert [(e["line"], e["field"]) for e in body["errors"]] == [
        (3, "amount"), (4, "date"), (4, "amount"), (4, "currency"), (4, "category"), (4, "payment_method"),
        (4, "receipt_url"), (5, "row"),
    ]
    assert await everything(api, ada) == []
    assert "Brand new category" not in await category_ids(api, ada)


async def test_a_dry_run_counts_and_keeps_nothing(api):
    ada = await sign_up(api)
    text = f"{CSV_HEADER}\n2026-01-05,3.50,,Snacks,,,,,\n"
    as_form = await upload(api, ada, text, dry_run="true")
    as_query = await api.post(IMPORT, headers=ada, params={"dry_run": "true"}, files={"file": ("x.csv", text)})
    for response in (as_form, as_query):
        assert response.json() == {"rows": 1, "imported": 1, "duplicates": 0, "created_categories": ["Snacks"],
                                   "dry_run": True}
    assert await everything(api, ada) == [] and "Snacks" not in await category_ids(api, ada)


async def test_files_that_are_not_csv_or_have_no_file_are_clear_422s(api):
    ada = await sign_up(api)
    binary = await upload(api, ada, b"date,amount,category\n2026-01-01,1,\xff\xfe\n")
    assert binary.status_code == 422 and binary.json()["errors"][0]["line"] == 2
    header = await upload(api, ada, "when,how much\n1,2\n")
    assert header.status_code == 422 and header.json()["errors"][0] == {
        "location": "file", "line": 1, "field": "header",
        "message": "must name columns from date,amount,currency,category,description,payment_method,tags,notes,"
                   "receipt_url; date, amount and category are required"}
    missing = await api.post(IMPORT, headers=ada, data={"dry_run": "true"})
    assert missing.status_code == 422 and "file" in {e["field"] for e in missing.json()["errors"]}
