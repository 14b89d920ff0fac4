"""The fitness API end to end on both storages: catalogue, profile and energy, logs, plans, sessions, adaptation."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.api.calendar_support import log_in, sign_up
from tests.api.fitness_support import API, PROFILE, create_plan, log_session, put_profile

TODAY = datetime(2026, 3, 16, 9, tzinfo=UTC)  # a Monday


@pytest.fixture(autouse=True)
def today(clock):
    clock.set(TODAY)


async def test_the_catalogue_pages_by_id_and_filters(api):
    ada = await sign_up(api)
    first = await api.get(f"{API}/exercises", headers=ada, params={"muscle": "chest", "equipment": "barbell",
                                                                   "limit": 3})
    assert first.status_code == 200, first.text
    second = await api.get(f"{API}/exercises", headers=ada, params={"muscle": "chest", "equipment": "barbell",
                                                                    "limit": 3, "cursor": first.json()["next_cursor"]})
    items = first.json()["items"] + second.json()["items"]
    assert [e["id"] for e in items] == sorted(e["id"] for e in items) and len({e["id"] for e in items}) == 6
    assert all("chest" in e["primary_muscles"] and e["equipment"] == "barbell" for e in items)
    squat = await api.get(f"{API}/exercises/Barbell_Squat", headers=ada)
    assert squat.json()["level"] == "beginner" and "quadriceps" in squat.json()["primary_muscles"]
    vegan = await api.get(f"{API}/foods", headers=ada, params={"diet": "vegan", "limit": 200})
    assert vegan.json()["items"] and all(f["diet_class"] == "plant" for f in vegan.json()["items"])
    assert (await api.get(f"{API}/foods/chicken_breast", headers=ada)).json()["protein_100g"] > 30


async def test_bad_catalogue_queries_name_the_field_and_unknown_ids_are_404(api):
    ada = await sign_up(api)
    wrong = await api.get(f"{API}/exercises", headers=ada, params={"muscle": "wings"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "muscle"
    foods_cursor = (await api.get(f"{API}/foods", headers=ada, params={"limit": 1})).json()["next_cursor"]
    crossed = await api.get(f"{API}/exercises", headers=ada, params={"cursor": foods_cursor})
    assert crossed.status_code == 422 and crossed.json()["errors"][0]["field"] == "cursor"
    assert (await api.get(f"{API}/exercises/No_Such_Lift", headers=ada)).status_code == 404
    assert (await api.get(f"{API}/foods/tofu", headers=ada)).status_code == 404
    assert (await api.get(f"{API}/foods")).status_code == 401


async def test_the_profile_answers_its_energy_and_records_todays_weight(api):
    ada = await sign_up(api)
    assert (await api.get(f"{API}/fitness-profile", headers=ada)).status_code == 404
    # A man of 35, 80 kg, 180 cm, moderate, maintaining: docs/decisions.md works this example.
    profile = await put_profile(api, ada, sex="male", birth_date="1990-06-01", height_cm=180, weight_kg=80,
                                goal="maintain", weekly_rate_kg=None)
    assert profile["energy"] == {"bmr_kcal": 1755, "tdee_kcal": 2720, "target_kcal": 2720, "protein_g": 128,
                                 "fat_g": 76, "carbs_g": 381, "method": "formula", "floor_applied": False}
    weights = (await api.get(f"{API}/weight-entries", headers=ada)).json()["items"]
    assert [(w["date"], w["weight_kg"]) for w in weights] == [("2026-03-16", 80.0)]
    assert (await api.get(f"{API}/fitness-profile", headers=ada)).json() == profile


@pytest.mark.parametrize(("field", "value"), [
    ("height_cm", 99), ("weight_kg", 301), ("training_days_per_week", 7), ("meals_per_day", 1),
    ("session_minutes", 19), ("sex", "other"), ("birth_date", "2020-01-01"), ("excluded_foods", ["tofu"]),
    ("equipment", ["spaceship"]), ("weekly_rate_kg", 2),
])
async def test_an_out_of_range_profile_field_is_422_naming_it_and_changes_nothing(api, field, value):
    ada = await sign_up(api)
    await put_profile(api, ada)
    before = (await api.get(f"{API}/fitness-profile", headers=ada)).json()

    answer = await api.put(f"{API}/fitness-profile", headers=ada, json=PROFILE | {field: value})

    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert {e["field"].split(".")[0] for e in answer.json()["errors"]} == {field}
    assert (await api.get(f"{API}/fitness-profile", headers=ada)).json() == before


async def test_four_weeks_of_logs_make_the_energy_adaptive_and_a_second_log_replaces_the_first(api, clock):
    ada = await sign_up(api)
    await put_profile(api, ada, weight_kg=80)
    start = TODAY.date() - timedelta(days=28)
    for n in range(28):
        day = (start + timedelta(days=n)).isoformat()
        assert (await api.post(f"{API}/weight-entries", headers=ada, json={"date": day, "weight_kg": 80})).status_code == 201
        assert (await api.post(f"{API}/intake-logs", headers=ada, json={"date": day, "kcal": 1500})).status_code == 201
    again = await api.post(f"{API}/intake-logs", headers=ada, json={"date": start.isoformat(), "kcal": 1600})
    logs = (await api.get(f"{API}/intake-logs", headers=ada, params={"limit": 200})).json()["items"]
    assert len(logs) == 28 and logs[-1] == again.json() | {"updated_at": logs[-1]["updated_at"]}

    energy = (await api.get(f"{API}/fitness-profile", headers=ada)).json()["energy"]

    assert energy["method"] == "adaptive"
    future = await api.post(f"{API}/weight-entries", headers=ada, json={"date": "2026-03-17", "weight_kg": 80})
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "date"


async def test_a_workout_plan_keeps_its_versions_and_progresses_from_sessions(api):
    ada = await sign_up(api)
    await put_profile(api, ada)
    plan = await create_plan(api, ada, weeks=6)
    assert plan["split"] == "upper_lower" and plan["generator"] == "rules" and plan["version"] == 1
    assert len(plan["days"]) == 4 and all(10 <= sets <= 20 for sets in plan["weekly_sets_by_muscle"].values())

    await log_session(api, ada, plan, 1, "2026-03-16", reps=15, weight_kg=40)
    adapted = await api.post(f"{API}/workout-plans/{plan['id']}/adaptations", headers=ada)

    assert adapted.status_code == 201 and adapted.json()["version"] == 2
    first = adapted.json()["days"][0]["exercises"][0]
    assert first["load_kg"] == 42.5  # every set reached rep_max: +2.5 kg, upper body
    old = await api.get(f"{API}/workout-plans/{plan['id']}", headers=ada, params={"version": 1})
    assert old.json()["days"] == plan["days"] and old.json()["current_version"] == 2
    assert (await api.get(f"{API}/workout-plans/{plan['id']}", headers=ada, params={"version": 3})).status_code == 404


async def test_a_plan_is_renamed_and_an_exercise_swapped_into_the_next_version(api):
    ada = await sign_up(api)
    await put_profile(api, ada)
    plan = await create_plan(api, ada, name="Spring")
    first = plan["days"][0]["exercises"][0]["exercise_id"]  # a chest press
    on_day = {item["exercise_id"] for item in plan["days"][0]["exercises"]}
    other = next(e for e in ("Dumbbell_Bench_Press", "Machine_Bench_Press", "Incline_Dumbbell_Press") if e not in on_day)

    renamed = await api.patch(f"{API}/workout-plans/{plan['id']}", headers=ada, json={"name": "Summer"})
    assert renamed.json()["name"] == "Summer" and renamed.json()["version"] == 1
    swapped = await api.patch(f"{API}/workout-plans/{plan['id']}", headers=ada, json={
        "swap": {"day": 1, "exercise_id": first, "replacement_id": other}})
    assert swapped.status_code == 200, swapped.text
    assert swapped.json()["version"] == 2 and swapped.json()["days"][0]["exercises"][0]["exercise_id"] != first
    bad = await api.patch(f"{API}/workout-plans/{plan['id']}", headers=ada, json={
        "swap": {"day": 1, "exercise_id": "Barbell_Squat", "replacement_id": first}})  # a lower-body lift
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "exercise_id"


async def test_without_a_profile_plans_are_409_and_a_foreign_plan_in_a_session_is_422(api):
    ada, bob = await sign_up(api, "ada"), await sign_up(api, "bob")
    assert (await api.post(f"{API}/workout-plans", headers=bob, json={})).json()["code"] == "fitness_profile_missing"
    await put_profile(api, ada)
    plan = await create_plan(api, ada)

    foreign = await api.post(f"{API}/workout-sessions", headers=bob, json={
        "plan_id": plan["id"], "day": 1, "performed_on": "2026-03-16",
        "sets": [{"exercise_id": "Barbell_Squat", "reps": 5, "weight_kg": 60}]})

    assert foreign.status_code == 422 and foreign.json()["code"] == "unknown_workout_plan"
    assert foreign.json()["errors"] == [{"location": "body", "field": "plan_id", "message": "is not one of your workout plans"}]
    assert (await api.get(f"{API}/workout-sessions", headers=ada)).json()["items"] == []


async def test_infeasible_plans_say_which_profile_field_to_change(api):
    ada = await sign_up(api)
    await put_profile(api, ada, experience="advanced", training_days_per_week=2, session_minutes=30)

    answer = await api.post(f"{API}/workout-plans", headers=ada, json={})

    assert answer.status_code == 422 and answer.json()["code"] == "plan_infeasible"
    assert answer.json()["errors"][0]["location"] == "profile"
    assert answer.json()["errors"][0]["field"] == "session_minutes"


async def test_a_meal_plan_meets_the_targets_and_adapts_its_remaining_days(api, clock):
    ada = await sign_up(api)
    profile = await put_profile(api, ada)
    created = await api.post(f"{API}/meal-plans", headers=ada, json={"days": 3})
    assert created.status_code == 201, created.text
    plan = created.json()
    target = profile["energy"]["target_kcal"]
    for day in plan["days"]:
        assert [m["name"] for m in day["meals"]] == ["breakfast", "lunch", "dinner"]
        assert abs(day["totals"]["kcal"] - target) <= 0.05 * target + 1
        assert day["target"]["kcal"] == target

    clock.advance(days=1)
    ada = await log_in(api)  # access tokens expire as the clock moves on
    await put_profile(api, ada, weight_kg=75)
    adapted = await api.post(f"{API}/meal-plans/{plan['id']}/adaptations", headers=ada)

    assert adapted.status_code == 201, adapted.text
    days = adapted.json()["days"]
    assert adapted.json()["version"] == 2 and days[0] == plan["days"][0]
    new_target = (await api.get(f"{API}/fitness-profile", headers=ada)).json()["energy"]["target_kcal"]
    assert new_target != target and all(day["target"]["kcal"] == new_target for day in days[1:])
    clock.advance(days=5)
    over = await api.post(f"{API}/meal-plans/{plan['id']}/adaptations", headers=await log_in(api))
    assert over.status_code == 409 and over.json()["code"] == "meal_plan_over"


async def test_a_vegan_with_a_high_protein_target_gets_a_422_that_says_why(api):
    ada = await sign_up(api)
    await put_profile(api, ada, weight_kg=120, goal="lose", weekly_rate_kg=1.0, diet="vegan")

    answer = await api.post(f"{API}/meal-plans", headers=ada, json={"days": 2})

    assert answer.status_code == 422 and answer.json()["code"] == "plan_infeasible"
    assert answer.json()["errors"][0]["field"] == "diet" and "protein" in answer.json()["detail"]
    assert (await api.get(f"{API}/meal-plans", headers=ada)).json()["items"] == []


async def test_deleting_a_plan_removes_its_sessions_and_another_account_sees_none_of_it(api):
    ada, bob = await sign_up(api, "ada"), await sign_up(api, "bob")
    await put_profile(api, ada)
    plan = await create_plan(api, ada)
    await log_session(api, ada, plan, 1, "2026-03-16", reps=8, weight_kg=50)
    meal = (await api.post(f"{API}/meal-plans", headers=ada, json={"days": 1})).json()
    for path in (f"workout-plans/{plan['id']}", f"meal-plans/{meal['id']}"):
        assert (await api.get(f"{API}/{path}", headers=bob)).status_code == 404
        assert (await api.delete(f"{API}/{path}", headers=bob)).status_code == 404
    assert (await api.get(f"{API}/workout-sessions", headers=bob)).json()["items"] == []

    assert (await api.delete(f"{API}/workout-plans/{plan['id']}", headers=ada)).status_code == 204
    assert (await api.get(f"{API}/workout-sessions", headers=ada)).json()["items"] == []
    assert (await api.get(f"{API}/workout-plans/{plan['id']}", headers=ada)).status_code == 404
