"""Budgets with progress and rollover, monthly reports and the summary, over HTTP on both storages."""

import pytest

from tests.api.ledger_support import BUDGETS, MONTHLY, SUMMARY, category_ids, field_errors, sign_up, spend


async def progress(api, headers, budget_id, at=None):
    response = await api.get(f"{BUDGETS}/{budget_id}/progress", headers=headers, params={"at": at} if at else {})
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_monthly_budget_goes_over(api):
    ada = await sign_up(api)
    food = (await category_ids(api, ada))["Food"]
    created = await api.post(BUDGETS, headers=ada, json={"amount": 100, "category_id": food, "start_date": "2026-01-01"})
    assert created.status_code == 201, created.text
    budget = created.json()
    assert (budget["amount"], budget["currency"], budget["period"], budget["rollover"]) == ("100.00", "EUR", "monthly",
                                                                                          False)
    await spend(api, ada, "59.90", food, "2026-01-02")
    await spend(api, ada, "0.10", food, "2026-01-05")
    await spend(api, ada, "500", food, "2025-12-31")

    today = await progress(api, ada, budget["id"])  # the clock says 2026-01-05
    assert today == {"period_start": "2026-01-01", "period_end": "2026-01-31", "budgeted": "100.00",
                     "carried_over": "0.00", "spent": "60.00", "remaining": "40.00", "percent": "60.00",
                     "over_budget": False}
    await spend(api, ada, "40.01", food, "2026-01-31")
    over = await progress(api, ada, budget["id"], at="2026-01-31")
    assert (over["spent"], over["remaining"], over["percent"], over["over_budget"]) == ("100.01", "-0.01", "100.01",
                                                                                       True)
    fresh = await progress(api, ada, budget["id"], at="2026-02-01")
    assert (fresh["spent"], fresh["remaining"], fresh["over_budget"]) == ("0.00", "100.00", False)


async def test_rollover_carries_leftovers_and_overspending_into_the_next_period(api):
    ada = await sign_up(api)
    food = (await category_ids(api, ada))["Food"]
    budget = (await api.post(BUDGETS, headers=ada, json={
        "amount": "100", "category_id": food, "start_date": "2026-01-15", "rollover": True})).json()
    await spend(api, ada, "60", food, "2026-01-20")
    await spend(api, ada, "170", food, "2026-02-03")
    await spend(api, ada, "25", food, "2026-03-09")

    january = await progress(api, ada, budget["id"], "2026-01-31")
    february = await progress(api, ada, budget["id"], "2026-02-28")
    march = await progress(api, ada, budget["id"], "2026-03-01")
    assert (january["period_start"], january["carried_over"], january["remaining"]) == ("2026-01-15", "0.00", "40.00")
    assert (february["carried_over"], february["remaining"], february["over_budget"]) == ("40.00", "-30.00", True)
    assert (march["carried_over"], march["spent"], march["remaining"]) == ("-30.00", "25.00", "45.00")


async def test_budget_crud_overlaps_and_bad_values(api):
    ada = await sign_up(api)
    ids = await category_ids(api, ada)
    first = (await api.post(BUDGETS, headers=ada, json={"amount": "50", "period": "weekly"})).json()
    assert (first["start_date"], first["category_id"], first["end_date"]) == ("2026-01-05", None, None)
    clash = await api.post(BUDGETS, headers=ada, json={"amount": "60", "period": "weekly", "start_date": "2026-02-01"})
    assert clash.status_code == 409 and clash.json()["code"] == "budget_overlaps"
    assert (await api.post(BUDGETS, headers=ada, json={"amount": "60", "category_id": ids["Food"]})).status_code == 201

    url = f"{BUDGETS}/{first['id']}"
    patched = await api.patch(url, headers=ada, json={"amount": "75.5", "end_date": "2026-03-31", "rollover": True})
    assert patched.status_code == 200
    assert (patched.json()["amount"], patched.json()["end_date"], patched.json()["rollover"]) == ("75.50", "2026-03-31",
                                                                                                  True)
    assert (await api.get(url, headers=ada)).json() == patched.json()
    assert [b["id"] for b in (await api.get(BUDGETS, headers=ada)).json()["items"]][0] == first["id"]
    outside = await api.get(f"{url}/progress", headers=ada, params={"at": "2026-04-01"})
    assert outside.status_code == 422 and "at" in field_errors(outside)

    for bad, field in [({"amount": "0"}, "amount"), ({"amount": "1", "period": "daily"}, "period"),
                       ({"amount": "1", "start_date": "2026-02-01", "end_date": "2026-01-01"}, "end_date"),
                       ({"amount": "1", "start_date": "2026-02-30"}, "start_date"),
                       ({"amount": "1", "currency": "EURO"}, "currency"), ({"amount": "1", "category_id": "x"}, "category_id"),
                       ({"amount": "1", "rollover": "maybe"}, "rollover"), ({"amount": "1", "rollover": 0}, "rollover")]:
        response = await api.post(BUDGETS, headers=ada, json=bad)
        assert response.status_code == 422 and field in field_errors(response), (bad, response.text)
    bad_at = await api.get(f"{url}/progress", headers=ada, params={"at": "2026-02-30"})
    assert bad_at.status_code == 422 and "at" in field_errors(bad_at)

    assert (await api.delete(url, headers=ada)).status_code == 204
    assert (await api.get(url, headers=ada)).status_code == 404
    assert (await api.get(f"{url}/progress", headers=ada)).status_code == 404


async def test_the_monthly_report_shows_empty_months_and_never_mixes_currencies(api):
    ada = await sign_up(api)
    ids = await category_ids(api, ada)
    await spend(api, ada, "0.10", ids["Food"], "2025-12-01")
    await spend(api, ada, "0.20", ids["Food"], "2025-12-31")
    await spend(api, ada, "80", ids["Bills"], "2025-12-15")
    await spend(api, ada, "5", ids["Food"], "2025-12-20", currency="USD")
    await spend(api, ada, "1", ids["Food"], "2026-02-01")
    await spend(api, ada, "99", ids["Food"], "2026-03-01")

    response = await api.get(MONTHLY, headers=ada, params={"from": "2025-11", "to": "2026-02"})
    assert response.status_code == 200, response.text
    months = {m["month"]: m for m in response.json()["items"]}
    assert list(months) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months["2025-11"]["totals"] == [{"currency": "EUR", "total": "0.00", "count": 0},
                                           {"currency": "USD", "total": "0.00", "count": 0}]
    assert months["2025-11"]["categories"] == months["2026-01"]["categories"] == []
    assert months["2025-12"]["totals"] == [{"currency": "EUR", "total": "80.30", "count": 3},
                                           {"currency": "USD", "total": "5.00", "count": 1}]
    december = {(c["category_name"], c["currency"]): (c["total"], c["count"]) for c in months["2025-12"]["categories"]}
    assert december == {("Food", "EUR"): ("0.30", 2), ("Bills", "EUR"): ("80.00", 1), ("Food", "USD"): ("5.00", 1)}
    assert months["2026-02"]["totals"][0] == {"currency": "EUR", "total": "1.00", "count": 1}


@pytest.mark.parametrize("params,field", [
    ({"from": "2026-13", "to": "2026-01"}, "from"), ({"from": "2026-01", "to": "01-2026"}, "to"),
    ({"from": "2026-02", "to": "2026-01"}, "to"), ({"from": "2000-01", "to": "2026-01"}, "to"), ({"to": "2026-01"}, "from"),
])
async def test_a_bad_report_range_is_422_naming_the_parameter(api, params, field):
    ada = await sign_up(api)
    response = await api.get(MONTHLY, headers=ada, params=params)
    assert response.status_code == 422 and field in field_errors(response), response.text


async def test_the_summary_compares_months_and_flags_budgets_at_risk(api):
    ada = await sign_up(api)
    ids = await category_ids(api, ada)
    await spend(api, ada, "100", ids["Bills"], "2026-01-02")
    await spend(api, ada, "30", ids["Food"], "2026-01-03")
    await spend(api, ada, "20", ids["Food"], "2025-12-10")
    at_risk = (await api.post(BUDGETS, headers=ada, json={"amount": "35", "category_id": ids["Food"],
                                                          "start_date": "2026-01-01"})).json()
    await api.post(BUDGETS, headers=ada, json={"amount": "1000", "category_id": ids["Bills"], "start_date": "2026-01-01"})

    summary = (await api.get(SUMMARY, headers=ada)).json()

    assert summary["month"] == "2026-01"
    assert summary["comparison"] == [{"currency": "EUR", "this_month": "130.00", "last_month": "20.00",
                                      "change": "110.00", "this_count": 2, "last_count": 1}]
    assert [(t["category_name"], t["total"]) for t in summary["top_categories"]] == [("Bills", "100.00"),
                                                                                   ("Food", "30.00")]
    [risk] = summary["budgets_at_risk"]
    assert risk["budget"]["id"] == at_risk["id"] and risk["progress"]["percent"] == "85.71"
