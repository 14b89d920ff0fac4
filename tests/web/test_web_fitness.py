"""The fitness pages: the profile form with its targets and errors beside the fields, a generated workout plan by
day, a session logged set by set, a meal plan by day against its target, weigh-ins with their trend chart, today's
plan on the home page, and nobody else's plans."""

import re
from datetime import UTC, datetime

import pytest

from tests.web.web_support import error_beside, text_of

TODAY = datetime(2026, 3, 16, 9, tzinfo=UTC)  # a Monday
PROFILE = {
    "sex": "female", "birth_date": "1990-05-01", "height_cm": "168", "weight_kg": "65", "activity_level": "moderate",
    "goal": "lose", "weekly_rate_kg": "", "experience": "intermediate", "training_days_per_week": "4",
    "session_minutes": "60", "diet": "omnivore", "excluded_foods": "", "meals_per_day": "3",
}
EQUIPMENT = ["barbell", "dumbbell", "cable", "machine"]


@pytest.fixture(autouse=True)
def today(clock):
    clock.set(TODAY)


async def with_profile(browser, name="ada"):
    await browser.sign_up(name)
    token = await browser.token("/fitness/profile")
    saved = await browser.client.post("/fitness/profile", data={"csrf": token, **PROFILE,
                                                                         "equipment": EQUIPMENT})
    assert saved.status_code == 303, saved.text[:300]


async def generated_plan(browser) -> str:
    created = await browser.post("/fitness/workouts", {"weeks": "8"}, page="/fitness/workouts")
    assert created.status_code == 303, created.text[:500]
    return created.headers["location"]


async def test_the_profile_form_shows_the_energy_targets_and_errors_beside_the_field(browser):
    await with_profile(browser)
    page = await browser.get("/fitness/profile?saved=1")
    assert "Saved" in text_of(page) and re.search(r"[\d,]+ kcal a day", text_of(page))
    assert 'value="barbell" checked' in page.text  # the form shows what was saved

    token = await browser.token("/fitness/profile")
    wrong = await browser.client.post("/fitness/profile", data={**PROFILE, "csrf": token, "height_cm": "20"})
    assert wrong.status_code == 422 and "between 100 and 250" in error_beside(wrong, "height_cm")
    word = await browser.client.post("/fitness/profile", data={**PROFILE, "csrf": token, "weight_kg": "heavy"})
    assert error_beside(word, "weight_kg") == "Must be a number" or "number" in error_beside(word, "weight_kg")


async def test_a_plan_needs_a_profile_first(browser):
    await browser.sign_up()
    refused = await browser.post("/fitness/workouts", {"weeks": "8"}, page="/fitness/workouts")
    assert refused.status_code == 409 and "profile" in text_of(refused).lower()


async def test_generate_a_workout_plan_read_it_by_day_and_log_a_session_set_by_set(browser):
    await with_profile(browser)
    plan_page = await browser.get(await generated_plan(browser))
    days = re.findall(r'<h3 id="day-(\d)">Day \d: ([^<]+)</h3>', plan_page.text)
    assert [number for number, _ in days] == ["1", "2", "3", "4"]
    log_link = re.search(r'href="(/fitness/workouts/[0-9a-f-]+/days/1)"', plan_page.text).group(1)

    form = await browser.get(log_link)
    rows = re.findall(r'name="exercise_(\d+)" value="([^"]+)"', form.text)
    assert len(rows) >= 3
    hidden = {f"exercise_{row}": exercise for row, exercise in rows}  # a browser sends the hidden fields too
    filled = {**hidden, "performed_on": "2026-03-16", "reps_0": "8", "weight_0": "40", "rir_0": "2", "reps_1": "7",
              "weight_1": "40"}
    logged = await browser.post(log_link, filled, page=log_link)
    assert logged.status_code == 303, text_of(logged)[:500]
    after = await browser.get(logged.headers["location"])
    assert "Session logged for day 1" in text_of(after)
    assert re.search(r"Mon 16 Mar 2026 · day 1 · 2 sets: [^<]+ 8 × 40 kg, [^<]+ 7 × 40 kg", text_of(after))

    home = await browser.get("/")
    assert "done today — day 1" in text_of(home)  # the home page's workout of the day


async def test_a_bad_set_is_shown_beside_its_row(browser):
    await with_profile(browser)
    plan_page = await browser.get(await generated_plan(browser))
    log_link = re.search(r'href="(/fitness/workouts/[0-9a-f-]+/days/2)"', plan_page.text).group(1)
    hidden = dict(re.findall(r'name="(exercise_\d+)" value="([^"]+)"', (await browser.get(log_link)).text))
    wrong = await browser.post(log_link, {**hidden, "performed_on": "2026-03-16", "reps_0": "8", "reps_2": "-3"},
                               page=log_link)
    assert wrong.status_code == 422 and error_beside(wrong, "reps_2")
    nothing = await browser.post(log_link, {"performed_on": "2026-03-16"}, page=log_link)
    assert nothing.status_code == 422 and "at least one set" in text_of(nothing)


async def test_a_meal_plan_by_day_with_totals_against_the_target(browser):
    await with_profile(browser)
    made = await browser.post("/fitness/meals", {"days": "3"}, page="/fitness/meals")
    assert made.status_code == 303, text_of(made)[:300]
    page = await browser.get(made.headers["location"])
    assert page.text.count('class="card meal-day"') == 3
    assert "Monday 16 Mar" in text_of(page) and "Planned Target" in text_of(page)
    home = await browser.get("/")
    assert re.search(r"Meals: \d+ of \d+ kcal", text_of(home))


async def test_weigh_ins_draw_the_trend_and_bad_input_names_the_field(browser):
    await with_profile(browser)
    for day, kg in (("2026-03-02", "66.4"), ("2026-03-09", "65.8")):
        assert (await browser.post("/fitness/weights", {"date": day, "weight_kg": kg}, page="/fitness/log")
                ).status_code == 303
    page = await browser.get("/fitness/log")
    assert page.text.count("<circle") >= 3  # the profile's weigh-in today and the two logged
    assert re.search(r"<th scope=\"row\">02 Mar 2026</th><td>66.4</td>", page.text)
    future = await browser.post("/fitness/weights", {"date": "2026-04-01", "weight_kg": "65"}, page="/fitness/log")
    assert future.status_code == 422 and error_beside(future, "date")
    intake = await browser.post("/fitness/intake", {"intake_date": "2026-03-15", "kcal": "-5"}, page="/fitness/log")
    assert intake.status_code == 422 and error_beside(intake, "kcal")


async def test_another_owners_plan_is_not_found(browser):
    await with_profile(browser, "ada")
    plan_url = await generated_plan(browser)
    plan_id = plan_url.split("plan=")[1]
    browser.forget_cookies()
    await with_profile(browser, "eve")
    assert (await browser.get(plan_url)).status_code == 404
    assert (await browser.get(f"/fitness/workouts/{plan_id}/days/1")).status_code == 404
    logged = await browser.post(f"/fitness/workouts/{plan_id}/days/1", {"performed_on": "2026-03-16",
                                                                        "reps_0": "5"}, page="/fitness")
    assert logged.status_code == 404
    assert (await browser.get("/fitness/workouts?plan=not-an-id")).status_code == 404
