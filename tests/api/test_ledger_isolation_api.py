"""Every ledger route, probed by a second account: 404 (or 422 for a foreign id in a body), nothing changes."""

from tests.api.ledger_support import (
    BUDGETS, CATEGORIES, EXPENSES, EXPORT, IMPORT, MONTHLY, SUMMARY, category_ids, field_errors, sign_up, spend,
)


async def snapshot(api, headers, expense_id, budget_id):
    return [(await api.get(url, headers=headers)).text for url in (
        CATEGORIES, f"{EXPENSES}?limit=200", f"{EXPENSES}/{expense_id}", BUDGETS, f"{BUDGETS}/{budget_id}",
        f"{BUDGETS}/{budget_id}/progress", f"{MONTHLY}?from=2026-01&to=2026-01", SUMMARY, EXPORT,
    )]


async def test_a_second_account_can_neither_see_nor_touch_the_first_ones_ledger(api):
    ada, bob = await sign_up(api), await sign_up(api, "bob")
    food, bobs_food = (await category_ids(api, ada))["Food"], (await category_ids(api, bob))["Food"]
    expense = await spend(api, ada, "10", food, "2026-01-05")
    budget = (await api.post(BUDGETS, headers=ada, json={"amount": "20", "category_id": food})).json()
    bobs_expense = await spend(api, bob, "1", bobs_food, "2026-01-05")
    before = await snapshot(api, ada, expense["id"], budget["id"])

    not_found = [
        ("PATCH", f"{CATEGORIES}/{food}", {"name": "Mine now"}), ("DELETE", f"{CATEGORIES}/{food}", None),
        ("GET", f"{EXPENSES}/{expense['id']}", None), ("PATCH", f"{EXPENSES}/{expense['id']}", {"amount": "1"}),
        ("DELETE", f"{EXPENSES}/{expense['id']}", None), ("GET", f"{BUDGETS}/{budget['id']}", None),
        ("PATCH", f"{BUDGETS}/{budget['id']}", {"amount": "1"}), ("DELETE", f"{BUDGETS}/{budget['id']}", None),
        ("GET", f"{BUDGETS}/{budget['id']}/progress", None),
    ]
    for method, url, body in not_found:
        response = await api.request(method, url, headers=bob, json=body)
        assert response.status_code == 404, (method, url, response.text)
        assert response.headers["content-type"] == "application/problem+json"

    foreign_in_body = [
        ("POST", EXPENSES, {"amount": "1", "category_id": food}, "category_id"),
        ("PATCH", f"{EXPENSES}/{bobs_expense['id']}", {"category_id": food}, "category_id"),
        ("POST", BUDGETS, {"amount": "1", "category_id": food}, "category_id"),
        ("DELETE", f"{CATEGORIES}/{bobs_food}?reassign_to={food}", None, "reassign_to"),
    ]
    for method, url, body, field in foreign_in_body:
        response = await api.request(method, url, headers=bob, json=body)
        assert response.status_code == 422 and field in field_errors(response), (method, url, response.text)
        assert response.json()["code"] == "unknown_category"

    listed = (await api.get(EXPENSES, headers=bob, params={"category_id": food})).json()
    assert (listed["items"], listed["totals"]) == ([], [])
    assert (await api.get(EXPORT, headers=bob, params={"category_id": food})).text.count("\n") == 1
    report = (await api.get(MONTHLY, headers=bob, params={"from": "2026-01", "to": "2026-01"})).json()
    assert report["items"][0]["totals"] == [{"currency": "EUR", "total": "1.00", "count": 1}]
    assert (await api.get(SUMMARY, headers=bob)).json()["budgets_at_risk"] == []
    assert await snapshot(api, ada, expense["id"], budget["id"]) == before
    assert (await api.get(f"{EXPENSES}/{bobs_expense['id']}", headers=bob)).json() == bobs_expense


async def test_every_ledger_route_needs_a_login(api):
    some = "00000000-0000-7000-8000-000000000000"
    routes = [
        ("GET", CATEGORIES), ("POST", CATEGORIES), ("PATCH", f"{CATEGORIES}/{some}"), ("DELETE", f"{CATEGORIES}/{some}"),
        ("GET", EXPENSES), ("POST", EXPENSES), ("GET", f"{EXPENSES}/{some}"), ("PATCH", f"{EXPENSES}/{some}"),
        ("DELETE", f"{EXPENSES}/{some}"), ("GET", EXPORT), ("POST", IMPORT), ("GET", BUDGETS), ("POST", BUDGETS),
        ("GET", f"{BUDGETS}/{some}"), ("PATCH", f"{BUDGETS}/{some}"), ("DELETE", f"{BUDGETS}/{some}"),
        ("GET", f"{BUDGETS}/{some}/progress"), ("GET", f"{MONTHLY}?from=2026-01&to=2026-01"), ("GET", SUMMARY),
    ]
    for method, url in routes:
        assert (await api.request(method, url)).status_code == 401, (method, url)
