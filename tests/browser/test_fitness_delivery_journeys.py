"""Fitness and delivery in a real Chromium against a live server: generate a workout plan and log a session, and
open the DORA dashboard on the demo data (`atrium seed-demo`) to find four tiles with values and bands."""

import re
import uuid

import pytest

from entrypoints.demo import DEMO_USERNAME, seed_demo

PASSWORD = "correct horse battery"
BANDS = re.compile(r"\bband-(elite|high|medium|low)\b")


def sign_up(page) -> None:
    name = f"u{uuid.uuid4().hex[:10]}"
    page.goto("/")
    form = page.page.locator("form[action^='/register']")
    for field, value in (("email", f"{name}@example.com"), ("username", name), ("password", PASSWORD),
                         ("time_zone", "Europe/Oslo")):
        form.locator(f"input[name='{field}']").fill(value)
    form.get_by_role("button", name="Create account").click()
    page.page.wait_for_url(page.base_url + "/")


def test_generate_a_workout_plan_and_log_a_session(page):
    sign_up(page)
    page.goto("/fitness/profile")
    p = page.page
    p.get_by_label("Birth date").fill("1990-05-01")
    p.get_by_label("Height (cm)").fill("168")
    p.get_by_label("Weight (kg)").fill("65")
    p.get_by_label("Goal").select_option(label="Lose weight")
    p.get_by_label("Training experience").select_option(label="Intermediate")
    for equipment in ("barbell", "dumbbell", "cable", "machine"):
        p.get_by_label(equipment, exact=True).check()
    p.get_by_label("Training days a week").fill("4")
    p.get_by_role("button", name="Save profile").click()
    assert p.get_by_role("status").inner_text().startswith("Saved")
    assert re.search(r"[\d,]+ kcal", p.locator(".energy").inner_text())
    page.shot("profile")

    page.goto("/fitness/workouts")
    p.get_by_role("button", name="Generate plan").click()
    days = p.locator("section.workout-day")
    assert days.count() == 4
    page.shot("plan")
    p.get_by_role("link", name="Log day 1").click()
    reps = p.locator("input[name^='reps_']")
    assert reps.count() >= 3
    reps.nth(0).fill("8")
    reps.nth(1).fill("7")
    page.shot("session-form")
    p.get_by_role("button", name="Log session").click()
    assert p.get_by_role("status").inner_text() == "Session logged for day 1."
    assert "2 sets" in p.locator("ul.sessions").inner_text()
    page.shot("session-logged")

    page.goto("/")
    assert "done today — day 1" in p.locator("[data-slot='fitness-today']").inner_text()


@pytest.fixture(scope="module")
def demo(live) -> str:
    """`atrium seed-demo` on the live server's database: the demo account with every context's sample data."""
    live.run(seed_demo(live.container, PASSWORD), timeout=120)
    return DEMO_USERNAME


def test_the_dora_dashboard_on_the_demo_data_shows_four_tiles_with_values_and_bands(page, demo):
    page.goto("/")
    p = page.page
    p.locator("form[action^='/sign-in'] input[name='login']").fill(demo)
    p.locator("form[action^='/sign-in'] input[name='password']").fill(PASSWORD)
    p.get_by_role("button", name="Sign in").click()
    p.wait_for_url(page.base_url + "/")
    assert p.locator("[data-slot='dora-tiles'] li.tile").count() == 4  # the home page's tiles

    page.goto("/delivery")
    tiles = p.locator("ul.tiles > li.tile")
    assert tiles.count() == 4
    for n in range(4):
        tile = tiles.nth(n)
        assert BANDS.search(tile.get_attribute("class") or ""), tile.inner_text()
        assert tile.locator(".tile-value").inner_text() not in ("", "No data")
        assert tile.locator(".band").inner_text() in ("Elite", "High", "Medium", "Low")
    assert p.locator("figure.chart svg").count() == 4
    page.shot("dashboard")
    p.locator("figure.chart details summary").first.click()  # a chart's numbers
    assert p.locator("figure.chart table").first.is_visible()
    p.get_by_role("link", name="2021").click()
    assert "DORA 2021" in p.locator("main").inner_text()
    page.shot("dashboard-2021")
