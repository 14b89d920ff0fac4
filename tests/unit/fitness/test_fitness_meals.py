"""The rules meal planner keeps every rule of the issue, or says which target the allowed foods miss."""

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from domain.fitness.energy import Energy, EnergyMethod, energy_targets
from domain.fitness.errors import PlanInfeasible
from domain.fitness.meal_planner import plan_meals, replan_from
from domain.fitness.meals import MealItem, MealRequest, validate_meal_draft
from domain.shared.errors import InvalidValue
from tests.unit.fitness.support import TODAY, make_profile

# The rules, restated here so the test does not lean on the code it checks.
FORBIDDEN = {"omnivore": set(), "pescatarian": {"meat"}, "vegetarian": {"meat", "fish"},
             "vegan": {"meat", "fish", "egg", "dairy", "honey"}}
MEALS = {2: ["breakfast", "dinner"], 3: ["breakfast", "lunch", "dinner"],
         4: ["breakfast", "lunch", "afternoon snack", "dinner"],
         5: ["breakfast", "morning snack", "lunch", "afternoon snack", "dinner"]}


def assert_keeps_the_rules(draft, profile, energy, catalogue, request) -> None:
    assert [day.date for day in draft.days] == [request.start_date + timedelta(days=n) for n in range(request.days)]
    for day in draft.days:
        assert [meal.name for meal in day.meals] == MEALS[profile.meals_per_day]
        items = [item for meal in day.meals for item in meal.items]
        kcal = sum(catalogue.food(item.food_id).kcal_100g * item.grams / 100 for item in items)
        protein = sum(catalogue.food(item.food_id).protein_100g * item.grams / 100 for item in items)
        assert abs(kcal - energy.target_kcal) <= 0.05 * energy.target_kcal
        assert protein >= 0.9 * energy.protein_g
        assert abs(day.totals.kcal - kcal) <= 0.5 + 1e-6 and abs(day.totals.protein_g - protein) <= 0.5 + 1e-6
        assert (day.target.kcal, day.target.protein_g) == (energy.target_kcal, energy.protein_g)
        for item in items:
            food = catalogue.food(item.food_id)
            assert food.diet_class not in FORBIDDEN[profile.diet], (profile.diet, food.id)
            assert food.id not in profile.excluded_foods
            assert item.grams > 0 and item.grams % 5 == 0 and item.name == food.name
        assert max(Counter(item.food_id for item in items).values()) <= 2
    assert validate_meal_draft(draft, profile, energy, catalogue) == []


profiles = st.fixed_dictionaries({
    "sex": st.sampled_from(["male", "female"]),
    "birth_date": st.dates(date(1926, 3, 16), date(2012, 3, 15)),
    "height_cm": st.floats(100, 250),
    "weight_kg": st.floats(30, 300),
    "activity_level": st.sampled_from(["sedentary", "light", "moderate", "active", "very_active"]),
    "goal": st.sampled_from(["lose", "maintain", "gain"]),
    "diet": st.sampled_from(["omnivore", "pescatarian", "vegetarian", "vegan"]),
    "meals_per_day": st.integers(2, 5),
})


@settings(max_examples=80, deadline=None)
@given(raw=profiles, rate=st.floats(0.1, 1.0), excluded=st.data(), days=st.integers(1, 14))
def test_a_plan_keeps_every_rule_or_says_why_not(catalogue, raw, rate, excluded, days):
    foods = sorted(catalogue.food_ids())
    exclusions = excluded.draw(st.lists(st.sampled_from(foods), max_size=40))
    profile = make_profile(catalogue, **raw, weekly_rate_kg=None if raw["goal"] == "maintain" else rate,
                           excluded_foods=exclusions)
    energy = energy_targets(profile, TODAY)
    request = MealRequest(days, TODAY)
    try:
        draft = plan_meals(profile, energy, request, catalogue)
    except PlanInfeasible as error:
        assert error.field in ("diet", "excluded_foods", "meals_per_day")
        assert str(energy.target_kcal) in error.detail
        return
    assert_keeps_the_rules(draft, profile, energy, catalogue, request)


@settings(max_examples=60, deadline=None)
@given(
    sex=st.sampled_from(["male", "female"]),
    age=st.integers(18, 75),
    height=st.integers(150, 200),
    bmi=st.floats(18.5, 30),
    activity=st.sampled_from(["sedentary", "light", "moderate", "active", "very_active"]),
    goal=st.sampled_from(["lose", "maintain", "gain"]),
    diet=st.sampled_from(["omnivore", "pescatarian"]),
    meals=st.integers(3, 5),
)
# Found by Hypothesis: a day whose protein is exactly 90 % of the target (102.6 of 114 g) in decimal, just under it
# in floats summed in another order.
@example(sex="female", age=47, height=151, bmi=56.9 / 1.51 ** 2, activity="very_active", goal="lose",
         diet="omnivore", meals=5)
def test_everyday_omnivores_and_pescatarians_always_get_a_plan(
    catalogue, sex, age, height, bmi, activity, goal, diet, meals,
):
    profile = make_profile(
        catalogue, sex=sex, birth_date=date(TODAY.year - age - 1, 1, 1), height_cm=height,
        weight_kg=round(bmi * (height / 100) ** 2, 1), activity_level=activity, goal=goal, diet=diet,
        meals_per_day=meals,
    )
    energy = energy_targets(profile, TODAY)
    request = MealRequest(14, TODAY)

    assert_keeps_the_rules(plan_meals(profile, energy, request, catalogue), profile, energy, catalogue, request)


def test_the_same_inputs_give_the_same_plan_and_days_differ(catalogue):
    profile = make_profile(catalogue)
    energy = energy_targets(profile, TODAY)

    first = plan_meals(profile, energy, MealRequest(7, TODAY), catalogue)

    assert plan_meals(profile, energy, MealRequest(7, TODAY), catalogue) == first
    menus = {tuple(item.food_id for meal in day.meals for item in meal.items) for day in first.days}
    assert len(menus) == 7


def test_replanning_rebuilds_the_remaining_days_against_the_new_target(catalogue):
    profile = make_profile(catalogue)
    before = energy_targets(profile, TODAY)
    draft = plan_meals(profile, before, MealRequest(5, TODAY), catalogue)
    after = Energy(0, 0, before.target_kcal - 300, before.protein_g, before.fat_g, before.carbs_g - 75,
                   EnergyMethod.ADAPTIVE, False)

    replanned = replan_from(draft, TODAY + timedelta(days=2), profile, after, catalogue)

    assert replanned.days[:2] == draft.days[:2]
    assert [day.date for day in replanned.days] == [day.date for day in draft.days]
    rest = replace(replanned, days=replanned.days[2:])
    assert validate_meal_draft(rest, profile, after, catalogue) == []
    assert all(day.target.kcal == before.target_kcal - 300 for day in rest.days)
    assert replan_from(draft, TODAY + timedelta(days=5), profile, after, catalogue) == draft


def test_an_unreachable_protein_target_says_so(catalogue):
    # 120 kg losing 1 kg a week: 2,240 kcal and 2.0 g/kg = 240 g protein; no vegan day of these foods holds 216 g.
    profile = make_profile(catalogue, weight_kg=120, goal="lose", weekly_rate_kg=1.0, diet="vegan")
    energy = energy_targets(profile, TODAY)

    with pytest.raises(PlanInfeasible) as caught:
        plan_meals(profile, energy, MealRequest(7, TODAY), catalogue)

    assert caught.value.field == "diet"
    assert caught.value.detail == (
        f"the protein target of 240 g cannot be reached with vegan foods at {energy.target_kcal} kcal")


def test_excluding_the_foods_that_could_make_it_blames_the_exclusions(catalogue):
    lean = [f.id for f in catalogue.foods if f.role == "protein" and f.diet_class in ("meat", "fish", "egg")]
    fields = dict(weight_kg=120, goal="lose", weekly_rate_kg=1.0)
    everything = make_profile(catalogue, **fields)
    profile = make_profile(catalogue, **fields, excluded_foods=lean + ["cottage_cheese", "greek_yogurt", "lor"])
    energy = energy_targets(profile, TODAY)
    plan_meals(everything, energy, MealRequest(3, TODAY), catalogue)  # the diet alone allows a plan

    with pytest.raises(PlanInfeasible) as caught:
        plan_meals(profile, energy, MealRequest(3, TODAY), catalogue)

    assert caught.value.field == "excluded_foods"


def test_a_start_date_far_from_today_and_too_many_days_are_refused():
    with pytest.raises(InvalidValue) as caught:
        MealRequest.create(today=TODAY, days=15)
    assert caught.value.field == "days"
    with pytest.raises(InvalidValue) as caught:
        MealRequest.create(today=TODAY, start_date=date(2030, 1, 1))
    assert caught.value.field == "start_date"
    assert MealRequest.create(today=TODAY) == MealRequest(7, TODAY)


class TestTheValidatorFindsEachBrokenRule:
    @pytest.fixture
    def plan(self, catalogue):
        profile = make_profile(catalogue, diet="vegetarian", excluded_foods=["egg"])
        energy = energy_targets(profile, TODAY)
        return profile, energy, plan_meals(profile, energy, MealRequest(2, TODAY), catalogue)

    @staticmethod
    def with_first_item(draft, catalogue, **changes):
        day = draft.days[0]
        meal = day.meals[0]
        first = replace(meal.items[0], **changes)
        if "food_id" in changes and catalogue.food(changes["food_id"]):
            first = replace(first, name=catalogue.food(changes["food_id"]).name)
        day = replace(day, meals=(replace(meal, items=(first, *meal.items[1:])), *day.meals[1:]))
        return replace(draft, days=(day, *draft.days[1:]))

    def rules(self, plan, catalogue, draft) -> set[str]:
        profile, energy, _ = plan
        return {violation.rule for violation in validate_meal_draft(draft, profile, energy, catalogue)}

    def test_diet_exclusion_unknown_food_and_grams(self, plan, catalogue):
        draft = plan[2]
        assert "diet" in self.rules(plan, catalogue, self.with_first_item(draft, catalogue, food_id="chicken_breast"))
        assert "excluded_foods" in self.rules(plan, catalogue, self.with_first_item(draft, catalogue, food_id="egg"))
        assert "unknown_food" in self.rules(plan, catalogue, self.with_first_item(draft, catalogue, food_id="tofu"))
        assert "grams" in self.rules(plan, catalogue, self.with_first_item(draft, catalogue, grams=12))

    def test_kcal_protein_totals_and_repeats(self, plan, catalogue):
        profile, energy, draft = plan
        heavier = self.with_first_item(draft, catalogue, grams=draft.days[0].meals[0].items[0].grams + 400)
        assert {"kcal", "totals"} <= self.rules(plan, catalogue, heavier)
        day = draft.days[0]
        sugary = replace(day, meals=tuple(
            replace(meal, items=(MealItem("olive_oil", "Olive oil", 70),)) for meal in day.meals))
        assert {"protein", "repeats"} <= self.rules(plan, catalogue, replace(draft, days=(sugary,)))

    def test_meal_names_and_dates(self, plan, catalogue):
        draft = plan[2]
        two_meals = replace(draft.days[0], meals=draft.days[0].meals[:2])
        assert "meals" in self.rules(plan, catalogue, replace(draft, days=(two_meals,)))
        later = replace(draft.days[1], date=draft.days[1].date + timedelta(days=1))
        assert "date" in self.rules(plan, catalogue, replace(draft, days=(draft.days[0], later)))

    def test_a_valid_plan_breaks_nothing(self, plan, catalogue):
        profile, energy, draft = plan
        assert validate_meal_draft(draft, profile, energy, catalogue) == []


def test_a_target_changed_since_the_plan_is_a_broken_rule(catalogue):
    profile = make_profile(catalogue)
    energy = energy_targets(profile, TODAY)
    draft = plan_meals(profile, energy, MealRequest(1, TODAY), catalogue)
    higher = Energy(0, 0, energy.target_kcal + 500, energy.protein_g, 0, 0, EnergyMethod.ADAPTIVE, False)

    broken = {violation.rule for violation in validate_meal_draft(draft, profile, higher, catalogue)}
    assert broken >= {"kcal", "totals"}
