"""What a person does in the browser, end to end in a real Chromium against a live server."""

import re
import uuid
from datetime import date, timedelta

import httpx

PASSWORD = "correct horse battery"


def sign_up(page, name: str | None = None) -> str:
    name = name or f"u{uuid.uuid4().hex[:10]}"
    page.goto("/")
    page.shot("front")
    form = page.page.locator("form[action^='/register']")
    form.get_by_label("Email").fill(f"{name}@example.com")
    form.get_by_label("Username").fill(name)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_label("Time zone").fill("Europe/Oslo")
    form.get_by_role("button", name="Create account").click()
    page.page.wait_for_url(page.base_url + "/")
    assert page.page.get_by_role("heading", name="Spending this month").is_visible()
    return name


def meter(page, name: str) -> float:
    return float(page.page.locator(f"meter[aria-label^='{name}:']").first.get_attribute("value"))


def test_sign_up_lands_on_the_home_page(page):
    sign_up(page)
    page.shot("home")
    nav = page.page.get_by_role("navigation", name="Main")
    for label in ("Home", "Calendar", "Ledger", "Fitness", "Delivery", "API keys"):
        assert nav.get_by_role("link", name=label).is_visible()
    page.page.get_by_role("button", name="Sign out").click()
    page.page.wait_for_url(page.base_url + "/")
    assert page.page.get_by_role("heading", name="Sign in").is_visible()


def test_an_expense_moves_the_budget_bar_and_the_chart(page):
    sign_up(page)
    page.goto("/ledger/budgets")
    page.page.get_by_label("Amount").fill("100")
    page.page.locator("#f-category_id").select_option(label="Food")
    page.page.get_by_role("button", name="Add budget").click()
    assert meter(page, "Food") == 0
    page.goto("/ledger/report")
    bars_before = page.page.locator("figure svg rect").count()
    page.shot("report-before")
    page.goto("/ledger/expenses/new")
    page.page.get_by_label("Amount").fill("40.00")
    page.page.locator("#f-category_id").select_option(label="Food")
    page.page.get_by_label("Description").fill("Market")
    page.page.get_by_role("button", name="Add expense").click()
    assert page.page.get_by_role("status").inner_text().startswith("Expense added")
    page.goto("/ledger/budgets")
    assert meter(page, "Food") == 0.4
    page.shot("budget-after")
    page.goto("/ledger/report")
    assert page.page.locator("figure svg rect").count() > bars_before
    page.page.locator("figure details summary").first.click()  # the chart's numbers
    assert "40.00" in page.page.locator("figure table").first.inner_text()
    page.shot("report-after")


def test_a_recurring_event_shows_in_the_month_view(page):
    sign_up(page)
    page.goto("/calendar/events/new")
    page.page.get_by_label("Title").fill("Yoga")
    start = page.page.get_by_label("Starts", exact=True).input_value()
    page.page.get_by_label("Repeats", exact=True).select_option(label="Every day")
    page.page.get_by_label("Number of times").fill("3")
    page.page.get_by_role("button", name="Add event").click()
    assert page.page.get_by_role("heading", name="Yoga").is_visible()
    first = date.fromisoformat(start[:10])
    for day in (first + timedelta(days=n) for n in range(3)):
        page.goto(f"/calendar/month?month={day:%Y-%m}")
        assert "Yoga" in page.page.locator(f"[data-day='{day.isoformat()}']").inner_text()
    page.goto(f"/calendar/month?month={first:%Y-%m}")
    page.shot("month")
    after = first + timedelta(days=3)
    page.goto(f"/calendar/month?month={after:%Y-%m}")
    assert "Yoga" not in page.page.locator(f"[data-day='{after.isoformat()}']").inner_text()


def test_a_revoked_key_stops_working(page, live):
    sign_up(page)
    page.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/api-keys")
    page.page.get_by_label("Name").fill("ci")
    page.page.get_by_role("button", name="Create key").click()
    secret = page.page.locator("#new-secret").inner_text().strip()
    copy = page.page.get_by_role("button", name="Copy")
    copy.wait_for(state="visible", timeout=5000)  # the script shows it
    copy.click()
    page.page.get_by_role("button", name="Copied").wait_for()
    page.shot("key-shown-once")
    generate = {"prompt": "a lighthouse", "width": 64, "height": 64}
    with httpx.Client(base_url=live.url) as api:
        assert api.post("/api/v1/images/generations", json=generate, headers={"X-API-Key": secret}).status_code == 201
        page.page.on("dialog", lambda dialog: dialog.accept())  # "Revoke ci?"
        page.page.get_by_role("button", name="Revoke ci").click()
        page.page.wait_for_url(page.base_url + "/api-keys")
        assert "revoked" in page.page.locator("table").first.inner_text()
        assert api.post("/api/v1/images/generations", json=generate,
                        headers={"X-API-Key": secret}).status_code == 401


def test_forms_work_without_javascript(chromium, live, request):
    from tests.browser.conftest import Watched

    context = chromium.new_context(java_script_enabled=False)
    try:
        page = Watched(context.new_page(), live.url, "no-js")
        sign_up(page)
        page.goto("/ledger/expenses/new")
        page.page.get_by_label("Amount").fill("12.345")
        page.page.locator("#f-category_id").select_option(label="Food")
        page.page.get_by_role("button", name="Add expense").click()
        assert "decimal" in page.page.locator("#e-amount").inner_text() or page.page.locator("#e-amount").is_visible()
        page.page.get_by_label("Amount").fill("12.34")
        page.page.get_by_role("button", name="Add expense").click()
        assert "12.34 EUR" in page.page.locator("table").inner_text()
        page.shot("errors-beside-fields")
        assert not page.problems
    finally:
        context.close()


def test_a_phone_in_dark_mode_reads_without_sideways_scrolling(phone):
    sign_up(phone)
    for path in ("/", "/calendar/month", "/ledger", "/ledger/budgets", "/api-keys"):
        phone.goto(path)
        width = phone.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide"
        phone.shot(re.sub(r"\W+", "-", path).strip("-") or "home")
    background = phone.page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 19, 22)"  # the dark palette
