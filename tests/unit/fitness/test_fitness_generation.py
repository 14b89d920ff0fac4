"""Where plans come from: the LLM through pydantic-ai (TestModel and FunctionModel, never a real model), the rules
when it fails or its daily allowance is spent, and the cache before either."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from dependency_injector import providers
from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.models.test import TestModel

from adapters.clock import SettableClock
from adapters.fitness.llm_generator import LlmPlanGenerator
from adapters.fitness.rules_generator import RulesPlanGenerator
from domain.fitness.catalogue import Catalogue
from domain.fitness.meals import MealRequest
from domain.fitness.plans import Generator
from domain.fitness.profile import Profile
from domain.fitness.workout import WorkoutRequest
from domain.fitness.workout_rules import generate_workout
from entrypoints.container import Container
from tests.composition import UseCases, compose
from tests.factories import account
from tests.unit.fitness.support import PROFILE_FIELDS

NOW = datetime(2026, 3, 16, 9, tzinfo=UTC)
RAW_PROFILE = {name: value for name, value in PROFILE_FIELDS.items()} | {"birth_date": date(1990, 6, 1)}


def fitness_container(clock: SettableClock, **settings: object) -> Container:
    return compose("memory", clock, **settings)


async def with_profile(container: Container, name: str = "ada") -> tuple[UseCases, Any, Profile]:
    owner = account(f"{name}@example.com", name)
    async with container.infrastructure.uow() as uow:
        await uow.accounts.add(owner)
        await uow.commit()
    fitness = UseCases(container.fitness)
    view = await fitness.put_profile(owner.id, **RAW_PROFILE)
    return fitness, owner.id, view.profile.profile


def answer_of(profile: Profile, catalogue: Catalogue) -> dict[str, Any]:
    """What a model that knows the rules would answer: the rules' own plan as the output tool's arguments."""
    draft = generate_workout(profile, WorkoutRequest(), catalogue)
    return {"days": [{"exercises": [
        {"exercise_id": i.exercise_id, "sets": i.sets, "rep_min": i.rep_min, "rep_max": i.rep_max, "rir": i.rir,
         "rest_seconds": i.rest_seconds} for i in day.exercises]} for day in draft.days]}


def use_llm(container: Container, model: Any) -> None:
    generator = LlmPlanGenerator(model, model_name="test-model", timeout=timedelta(seconds=5))
    container.fitness.plan_generator.override(providers.Object(generator))


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(NOW)


async def test_a_valid_llm_draft_is_the_plan_and_its_tokens_are_counted_for_the_account(clock):
    container = fitness_container(clock)
    fitness, owner, profile = await with_profile(container)
    use_llm(container, TestModel(custom_output_args=answer_of(profile, container.fitness.catalogue())))

    view = await fitness.create_workout_plan(owner)

    assert view.plan.provenance.generator is Generator.LLM and view.plan.provenance.fallback_reason is None
    usage = view.plan.provenance.usage
    assert usage is not None and usage.requests == 1 and usage.input_tokens > 0
    async with container.infrastructure.uow() as uow:
        assert await uow.llm_usage.day(owner, NOW.date()) == (1, usage)


async def test_a_draft_breaking_the_rules_goes_back_to_the_model_which_then_gets_it_right(clock):
    container = fitness_container(clock)
    fitness, owner, profile = await with_profile(container)
    good = answer_of(profile, container.fitness.catalogue())
    wrong = {"days": [{"exercises": [{**e, "exercise_id": "Tofu_Press"} for e in day["exercises"]]}
                      for day in good["days"]]}
    seen: list[str] = []

    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        seen.append(str(messages[-1]))
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, wrong if len(seen) == 1 else good)])

    use_llm(container, FunctionModel(model))

    view = await fitness.create_workout_plan(owner)

    assert len(seen) == 2 and "Tofu_Press" in seen[1]  # the retry told the model which id is unknown
    assert view.plan.provenance.generator is Generator.LLM and view.plan.provenance.usage.requests == 2
    assert view.version.draft == generate_workout(profile, WorkoutRequest(), container.fitness.catalogue())


@pytest.mark.parametrize("failure", ["always wrong", "raises"])
async def test_when_the_model_fails_the_rules_answer_and_say_why(clock, failure):
    container = fitness_container(clock)
    fitness, owner, profile = await with_profile(container)

    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        if failure == "raises":
            raise ConnectionError("the provider is down, key=sk-secret")
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, {"days": []})])

    use_llm(container, FunctionModel(model))

    view = await fitness.create_workout_plan(owner)

    provenance = view.plan.provenance
    assert provenance.generator is Generator.RULES and provenance.fallback_reason
    assert "secret" not in provenance.fallback_reason
    assert view.version.draft == generate_workout(profile, WorkoutRequest(), container.fitness.catalogue())


async def test_a_meal_plan_from_the_llm_passes_the_same_validation(clock):
    container = fitness_container(clock)
    fitness, owner, _ = await with_profile(container)
    use_llm(container, TestModel())  # TestModel's made-up answer keeps no rule: the rules answer

    plan = await fitness.create_meal_plan(owner, days=2)

    assert plan.provenance.generator is Generator.RULES
    assert "rules" in plan.provenance.fallback_reason and plan.provenance.usage.requests == 3


async def test_past_the_daily_allowance_the_rules_answer_without_asking_the_model(clock):
    container = fitness_container(clock, fitness_llm_daily_plans=2)
    fitness, owner, profile = await with_profile(container)
    calls = []

    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        calls.append(1)
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name,
                                                 answer_of(profile, container.fitness.catalogue()))])

    use_llm(container, FunctionModel(model))
    made = [await fitness.create_workout_plan(owner, weeks=weeks) for weeks in (4, 5, 6)]  # three cache keys

    assert [m.plan.provenance.generator for m in made] == [Generator.LLM, Generator.LLM, Generator.RULES]
    assert "allowance of 2" in made[2].plan.provenance.fallback_reason and len(calls) == 2
    clock.advance(days=1)  # a new UTC day, a new allowance
    assert (await fitness.create_workout_plan(owner, weeks=7)).plan.provenance.generator is Generator.LLM


class CountingRules(RulesPlanGenerator):
    def __init__(self) -> None:
        self.calls = 0

    async def workout(self, profile, request, catalogue):  # type: ignore[no-untyped-def]
        self.calls += 1
        return await super().workout(profile, request, catalogue)

    async def meals(self, profile, energy, request, catalogue):  # type: ignore[no-untyped-def]
        self.calls += 1
        return await super().meals(profile, energy, request, catalogue)


async def test_the_same_inputs_are_answered_from_the_cache_until_it_expires(clock):
    container = fitness_container(clock)
    counting = CountingRules()
    container.fitness.rules_generator.override(providers.Object(counting))
    fitness, owner, _ = await with_profile(container)

    first = await fitness.create_workout_plan(owner)
    second = await fitness.create_workout_plan(owner)
    assert counting.calls == 1 and second.version.draft == first.version.draft and second.plan.id != first.plan.id
    await fitness.create_workout_plan(owner, weeks=10)  # another request, another key
    assert counting.calls == 2
    await fitness.create_meal_plan(owner, days=3)
    await fitness.create_meal_plan(owner, days=3)
    assert counting.calls == 3

    clock.advance(days=8)  # cached drafts live 7 days
    await fitness.create_workout_plan(owner)
    assert counting.calls == 4
    assert await fitness.purge_plan_cache() == 2  # the expired ones (the meal plan's and the 10-week plan's)


async def test_another_account_never_gets_an_owners_cached_plan(clock):
    container = fitness_container(clock)
    counting = CountingRules()
    container.fitness.rules_generator.override(providers.Object(counting))
    fitness, ada, _ = await with_profile(container)
    _, bob, _ = await with_profile(container, "bob")

    await fitness.create_workout_plan(ada)
    await fitness.create_workout_plan(bob)

    assert counting.calls == 2


def test_the_llm_generator_needs_a_key_for_google():
    from pydantic import ValidationError

    from tests.composition import settings_for

    with pytest.raises(ValidationError, match="GOOGLE_API_KEY"):
        settings_for("memory", fitness_generator="llm")
