"""Categories and expenses over HTTP on both storages: exact money, filters, pages, and clear 422s."""

import json
from datetime import UTC, datetime

import pytest

from tests.api.ledger_support import CATEGORIES, EXPENSES, category_ids, field_errors, sign_up, spend


async def post_raw(api, headers, body: str):
    """POST a JSON text as is, so numbers reach the server exactly as written."""
    return await api.post(EXPENSES, headers={**headers, "Content-Type": "application/json"}, content=body)


async def test_a_new_account_has_the_six_default_categories(api):
    ada = await sign_up(api)
    listed = (await api.get(CATEGORIES, headers=ada)).json()
    assert [c["name"] for c in listed["items"]] == ["Bills", "Entertainment", "Food", "Health", "Shopping", "Transport"]
    assert all(len(c["color"]) == 7 and c["color"].startswith("#") and c["icon"] for c in listed["items"])
    assert listed["next_cursor"] is None


async def test_categories_are_unique_ignoring_case_and_deleting_one_in_use_needs_reassign_to(api):
    ada = await sign_up(api)
    ids = await category_ids(api, ada)
    assert (await api.post(CATEGORIES, headers=ada, json={"name": " fOOD "})).json()["code"] == "category_name_taken"
    pets = await api.post(CATEGORIES, headers=ada, json={"name": "Pets", "color": "#00ff00", "icon": "paw-print"})
    assert pets.status_code == 201 and (pets.json()["color"], pets.json()["icon"]) == ("#00FF00", "paw-print")
    renamed = await api.patch(f"{CATEGORIES}/{pets.json()['id']}", headers=ada, json={"name": "Animals"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Animals"
    expense = await spend(api, ada, "3.00", ids["Food"])

    refused = await api.delete(f"{CATEGORIES}/{ids['Food']}", headers=ada)
    assert refused.status_code == 409 and refused.json()["code"] == "category_has_expenses"
    assert "reassign_to" in refused.json()["detail"]
    moved = await api.delete(f"{CATEGORIES}/{ids['Food']}", headers=ada, params={"reassign_to": ids["Health"]})
    assert moved.status_code == 204
    assert (await api.get(f"{EXPENSES}/{expense['id']}", headers=ada)).json()["category_id"] == ids["Health"]
    assert (await api.delete(f"{CATEGORIES}/{ids['Food']}", headers=ada)).status_code == 404
    for bad, field in [({"name": ""}, "name"), ({"name": "x" * 51}, "name"), ({"name": "a", "color": "red"}, "color"),
                       ({"name": "a", "icon": "Bad Icon"}, "icon"), ({"name": "a", "extra": 1}, "extra")]:
        response = await api.post(CATEGORIES, headers=ada, json=bad)
        assert response.status_code == 422 and field in field_errors(response), bad


async def test_amounts_stay_exact_from_json_numbers_and_strings_to_totals(api):
    ada = await sign_up(api)
    food = (await category_ids(api, ada))["Food"]
    for amount in ("0.1", "0.2", '"0.10"', "1234567890.99", "7"):
        response = await post_raw(api, ada, f'{{"amount": {amount}, "category_id": "{food}", "date": "2026-01-02"}}')
        assert response.status_code == 201, response.text
    listed = (await api.get(EXPENSES, headers=ada, params={"sort": "amount"})).json()
    assert [e["amount"] for e in listed["items"]] == ["0.10", "0.10", "0.20", "7.00", "1234567890.99"]
    assert listed["totals"] == [{"currency": "EUR", "total": "1234567898.39", "count": 5}]
    small = await api.get(EXPENSES, headers=ada, params={"max_amount": "0.2", "min_amount": "0.1"})
    assert small.json()["totals"] == [{"currency": "EUR", "total": "0.40", "count": 3}]


@pytest.mark.parametrize("amount", [
    "0", "-1", "1.234", "NaN", "Infinity", '"abc"', "1e309", "12345678901", '"0.001"', "1.0000000000000001",
    "true", "null", "[]", '"1,50"', '""',
])
async def test_a_bad_amount_is_422_naming_amount(api, amount):
    ada = await sign_up(api)
    food = (await category_ids(api, ada))["Food"]
    response = await post_raw(api, ada, f'{{"amount": {amount}, "category_id": "{food}", "date": "2026-01-02"}}')
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "amount" in field_errors(response)
    assert (await api.get(EXPENSES, headers=ada)).json()["items"] == []


@pytest.mark.parametrize("changes,field", [
    ({"date": "2026-02-30"}, "date"), ({"date": "20260101"}, "date"), ({"date": 20260101}, "date"),
    ({"date": "1800-01-01"}, "date"), ({"date": "2026-01-02T10:00:00Z"}, "date"),
    ({"currency": "EURO"}, "currency"), ({"currency": "XYZ"}, "currency"), ({"payment_method": "cheque"}, "payment_method"),
    ({"receipt_url": "javascript:alert(1)"}, "receipt_url"), ({"tags": ["x"] * 21}, "tags"), ({"tags": [""]}, "tags"),
    ({"description": "x" * 256}, "description"), ({"notes": "x" * 10_001}, "notes"), ({"category_id": "nope"}, "category_id"),
    ({"category_id": None}, "category_id"), ({"surprise": 1}, "surprise"),
])
async def test_every_bad_field_is_a_422_naming_it(api, changes, field):
    ada = await sign_up(api)
    food = (await category_ids(api, ada))["Food"]
    response = await api.post(EXPENSES, headers=ada, json={
        "amount": "1", "category_id": food, "date": "2026-01-02", **changes})
    assert response.status_code == 422, response.text
    assert field in field_errors(response)


async def test_an_unparseable_or_non_object_body_is_a_4xx_problem(api):
    ada = await sign_up(api)
    food = (await category_ids(api, ada))["Food"]
    response = await post_raw(api, ada, '{"amount": ')
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    assert [e["location"] for e in response.json()["errors"]] == ["body"], response.text
    not_json = await post_raw(api, ada, f'{{"amount": "1", "category_id": "{food}", "description": NaN}}')
    assert not_json.status_code == 422 and "description" in field_errors(not_json)
    for body in ("0", "1.5", "NaN", "[]", "null"):
        patched = await api.patch(f"{CATEGORIES}/{food}", headers={**ada, "Content-Type": "application/json"},
                                  content=body)
        assert patched.status_code == 422, body


async def test_get_patch_and_delete_an_expense(api):
    ada = await sign_up(api)
    ids = await category_ids(api, ada)
    created = await spend(api, ada, 12.5, ids["Food"], description="Lunch", tags=["Work", " work", "team "],
                          payment_method="card", notes="a\nb", receipt_url="https://example.com/r.png")
    assert (created["amount"], created["tags"], created["date"]) == ("12.50", ["Work", "team"], "2026-01-05")
    url = f"{EXPENSES}/{created['id']}"
    assert (await api.get(url, headers=ada)).json() == created

    patched = await api.patch(url, headers={**ada, "Content-Type": "application/json"},
                              content='{"amount": 7.5, "description": null, "date": "2026-01-31", '
                                      f'"category_id": "{ids["Bills"]}"}}')
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["amount"], body["description"], body["date"], body["category_id"]) == (
        "7.50", None, "2026-01-31", ids["Bills"])
    assert (body["notes"], body["tags"]) == ("a\nb", ["Work", "team"])
    for bad, field in [({"amount": 0}, "amount"), ({"amount": None}, "amount"), ({"date": "2026-13-01"}, "date"),
                       ({"tags": None}, "tags")]:
        response = await api.patch(url, headers=ada, json=bad)
        assert response.status_code == 422 and field in field_errors(response), bad
    assert (await api.get(url, headers=ada)).json() == body

    assert (await api.delete(url, headers=ada)).status_code == 204
    assert (await api.get(url, headers=ada)).status_code == 404
    assert (await api.delete(url, headers=ada)).status_code == 404


async def test_currency_and_date_default_to_the_accounts(api, clock):
    clock.set(datetime(2026, 1, 5, 20, 0, tzinfo=UTC))  # already January 6th in Tokyo
    ada = await sign_up(api, currency="JPY", time_zone="Asia/Tokyo")
    food = (await category_ids(api, ada))["Food"]
    created = await api.post(EXPENSES, headers=ada, json={"amount": "500", "category_id": food})
    assert (created.json()["currency"], created.json()["date"]) == ("JPY", "2026-01-06")


async def test_defaults_follow_the_account_when_it_changes_its_locale_between_two_expenses(api, clock):
    """The second expense's defaults are the account's as changed, not what the app saw for the first."""
    clock.set(datetime(2026, 1, 5, 20, 0, tzinfo=UTC))
    ada = await sign_up(api, currency="JPY", time_zone="Asia/Tokyo")
    food = (await category_ids(api, ada))["Food"]
    first = await api.post(EXPENSES, headers=ada, json={"amount": "500", "category_id": food})
    moved = {"currency": "NOK", "time_zone": "Europe/Oslo"}
    assert (await api.patch("/api/v1/users/me", json=moved, headers=ada)).status_code == 200
    second = await api.post(EXPENSES, headers=ada, json={"amount": "12.50", "category_id": food})
    third = await api.post(EXPENSES, headers=ada, json={"amount": "13.50", "category_id": food, "date": "2026-01-02"})
    assert [(e.json()["currency"], e.json()["date"]) for e in (first, second, third)] == [
        ("JPY", "2026-01-06"), ("NOK", "2026-01-05"), ("NOK", "2026-01-02")]
    listed = (await api.get(EXPENSES, headers=ada)).json()["items"]
    assert sorted(e["currency"] for e in listed) == ["JPY", "NOK", "NOK"]


async def test_filters_sorting_pages_and_totals_of_the_whole_filtered_set(api):
    ada = await sign_up(api)
    ids = await category_ids(api, ada)
    made = {
        "a": await spend(api, ada, "10", ids["Food"], "2026-01-01", tags=["Red", "blue"], description="50% off"),
        "b": await spend(api, ada, "20", ids["Food"], "2026-01-31", tags=["red"], notes="snake_case",
                         payment_method="cash"),
        "c": await spend(api, ada, "30", ids["Bills"], "2026-02-01", currency="USD", description="Rent"),
        "d": await spend(api, ada, "40.5", ids["Bills"], "2026-02-02", tags=["BLUE"]),
    }

    async def found(**params):
        response = await api.get(EXPENSES, headers=ada, params={"sort": "date", **params})
        assert response.status_code == 200, response.text
        return "".join(key for e in response.json()["items"] for key, m in made.items() if m["id"] == e["id"])

    assert await found() == "abcd"
    assert await found(**{"from": "2026-01-31", "to": "2026-02-01"}) == "bc"
    assert await found(min_amount="20", max_amount="30.00") == "bc"
    assert await found(category_id=ids["Bills"]) == "cd"
    assert await found(payment_method="cash") == "b"
    assert await found(tags="RED") == "ab"
    assert await found(tags="red,Blue") == "abd"
    assert await found(tags=["red", "Blue"], tags_match="all") == "a"
    assert await found(q="%") == "a"
    assert await found(q="E_C") == "b"
    assert await found(q="rent") == "c"
    assert await found(sort="-amount") == "dcba"

    first = (await api.get(EXPENSES, headers=ada, params={"limit": 3, "sort": "-date"})).json()
    assert [e["id"] for e in first["items"]] == [made[k]["id"] for k in "dcb"]
    assert first["totals"] == [{"currency": "EUR", "total": "70.50", "count": 3},
                               {"currency": "USD", "total": "30.00", "count": 1}]
    rest = (await api.get(EXPENSES, headers=ada, params={"limit": 3, "sort": "-date",
                                                         "cursor": first["next_cursor"]})).json()
    assert [e["id"] for e in rest["items"]] == [made["a"]["id"]] and rest["next_cursor"] is None


@pytest.mark.parametrize("params,field", [
    ({"from": "2026-13-01"}, "from"), ({"from": "20260101"}, "from"), ({"to": "yesterday"}, "to"),
    ({"from": "2026-02-01", "to": "2026-01-01"}, "to"), ({"min_amount": "abc"}, "min_amount"),
    ({"min_amount": "0"}, "min_amount"), ({"max_amount": "1.234"}, "max_amount"),
    ({"min_amount": "5", "max_amount": "4"}, "max_amount"), ({"category_id": "x"}, "category_id"),
    ({"sort": "price"}, "sort"), ({"tags_match": "some"}, "tags_match"), ({"payment_method": "cheque"}, "payment_method"),
    ({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"cursor": "garbage"}, "cursor"), ({"q": "x" * 201}, "q"),
])
async def test_bad_filters_are_422_naming_the_parameter(api, params, field):
    ada = await sign_up(api)
    response = await api.get(EXPENSES, headers=ada, params=params)
    assert response.status_code == 422, response.text
    assert field in field_errors(response), response.json()


async def test_a_cursor_from_another_order_is_refused(api):
    ada = await sign_up(api)
    food = (await category_ids(api, ada))["Food"]
    for amount in ("1", "2"):
        await spend(api, ada, amount, food)
    page = (await api.get(EXPENSES, headers=ada, params={"limit": 1, "sort": "amount"})).json()
    response = await api.get(EXPENSES, headers=ada, params={"cursor": page["next_cursor"], "sort": "date"})
    assert response.status_code == 422 and json.loads(response.text)["errors"][0]["field"] == "cursor"
