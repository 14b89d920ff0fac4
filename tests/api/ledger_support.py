"""Helpers for the ledger API tests: accounts that are logged in, and their categories."""

CATEGORIES, EXPENSES, BUDGETS = "/api/v1/categories", "/api/v1/expenses", "/api/v1/budgets"
EXPORT, IMPORT = "/api/v1/expenses/export.csv", "/api/v1/expenses/import"
MONTHLY, SUMMARY = "/api/v1/reports/monthly", "/api/v1/reports/summary"
CSV_HEADER = "date,amount,currency,category,description,payment_method,tags,notes,receipt_url"


async def sign_up(api, name: str = "ada", **profile: str) -> dict[str, str]:
    """Register `name` and return the Authorization header of a fresh login."""
    registered = await api.post("/api/v1/auth/register", json={
        "email": f"{name}@example.com", "username": name, "password": "correct horse", **profile})
    assert registered.status_code == 201, registered.text
    tokens = await api.post("/api/v1/auth/login", json={"username": name, "password": "correct horse"})
    return {"Authorization": f"Bearer {tokens.json()['access_token']}"}


async def category_ids(api, headers: dict[str, str]) -> dict[str, str]:
    listed = await api.get(CATEGORIES, headers=headers)
    assert listed.status_code == 200, listed.text
    return {c["name"]: c["id"] for c in listed.json()["items"]}


async def spend(api, headers: dict[str, str], amount, category_id: str, day: str = "2026-01-05", **fields) -> dict:
    created = await api.post(EXPENSES, headers=headers, json={
        "amount": amount, "category_id": category_id, "date": day, **fields})
    assert created.status_code == 201, created.text
    return created.json()


def field_errors(response) -> set[str]:
    return {error["field"] for error in response.json().get("errors") or ()}
