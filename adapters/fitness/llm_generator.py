"""The `llm` plan generator: a pydantic-ai agent (Gemini 2.5 by default) writes the drafts.

The model chooses from the catalogue entries the profile allows, listed in the prompt; its answer is a typed
structure (`output_type`), turned into a domain draft and checked by the domain's own validation in an output
validator, which sends the broken rules back to the model (`ModelRetry`) up to RETRIES times. Whatever else goes
wrong (no valid draft, a timeout, an unreachable or refusing provider) is a GenerationFailed with a reason that
quotes nothing the provider said; the application then answers with the rules.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from pydantic import BaseModel, Field
from pydantic_ai import Agent, ModelRetry, RunContext
from pydantic_ai.exceptions import (
    ModelAPIError, ModelHTTPError, UnexpectedModelBehavior, UsageLimitExceeded,
)
from pydantic_ai.models import Model
from pydantic_ai.usage import RunUsage, UsageLimits

from application.fitness.ports import Drafted, GenerationFailed
from domain.fitness.catalogue import Catalogue, Category, Exercise
from domain.fitness.energy import Energy
from domain.fitness.meal_planner import usable_foods
from domain.fitness.meals import (
    DAYS, ITEMS_PER_MEAL_MAX, MEAL_NAMES, MealDay, MealDraft, MealRequest, validate_meal_draft,
)
from domain.fitness.plans import TokenUsage
from domain.fitness.profile import Profile
from domain.fitness.workout import (
    EXERCISES_PER_DAY_MAX, REPS, REST_SECONDS, RIR, SETS, Prescription, WorkoutDraft, WorkoutRequest,
    deload_weeks, focuses, split_for, suits, volume_range,
)
from domain.fitness.workout_validation import validate_workout_draft

PROMPT_VERSION = "1"
RETRIES = 2  # answers sent back with the broken rules before the rules generator takes over
EXERCISES_LISTED = 250  # the most catalogue exercises a prompt lists
ID_MAX = 100


class ExerciseChoice(BaseModel):
    exercise_id: Annotated[str, Field(max_length=ID_MAX)]
    sets: int
    rep_min: int
    rep_max: int
    rir: int
    rest_seconds: int


class TrainingDay(BaseModel):
    exercises: Annotated[list[ExerciseChoice], Field(max_length=EXERCISES_PER_DAY_MAX)]


class WorkoutAnswer(BaseModel):
    """One week of training days, in order; the plan repeats it."""

    days: Annotated[list[TrainingDay], Field(max_length=6)]


class FoodChoice(BaseModel):
    food_id: Annotated[str, Field(max_length=ID_MAX)]
    grams: int


class MealChoice(BaseModel):
    name: Annotated[str, Field(max_length=40)]
    items: Annotated[list[FoodChoice], Field(max_length=ITEMS_PER_MEAL_MAX)]


class MealDayAnswer(BaseModel):
    meals: Annotated[list[MealChoice], Field(max_length=5)]


class MealAnswer(BaseModel):
    """The days of the plan, in order from its first date."""

    days: Annotated[list[MealDayAnswer], Field(max_length=DAYS[1])]


@dataclass(frozen=True, slots=True)
class WorkoutTask:
    profile: Profile
    request: WorkoutRequest
    catalogue: Catalogue


@dataclass(frozen=True, slots=True)
class MealTask:
    profile: Profile
    energy: Energy
    request: MealRequest
    catalogue: Catalogue


def workout_draft(answer: WorkoutAnswer, task: WorkoutTask) -> WorkoutDraft:
    """The answer as a domain draft (the deload weeks are the rules'); ModelRetry naming unknown exercise ids."""
    unknown = sorted({choice.exercise_id for day in answer.days for choice in day.exercises
                      if task.catalogue.exercise(choice.exercise_id) is None})
    if unknown:
        raise ModelRetry(f"these exercise ids are not in the list: {', '.join(unknown[:10])}")
    days = [[Prescription(choice.exercise_id, _exercise(task.catalogue, choice.exercise_id).name, choice.sets,
                          choice.rep_min, choice.rep_max, choice.rir, choice.rest_seconds)
             for choice in day.exercises] for day in answer.days]
    weeks = task.request.weeks
    return WorkoutDraft.build(weeks=weeks, deload_weeks=deload_weeks(weeks, task.profile.experience), days=days,
                              catalogue=task.catalogue)


def meal_draft(answer: MealAnswer, task: MealTask) -> MealDraft:
    """The answer as a domain draft, dated from the request's first day; ModelRetry naming unknown food ids or a
    wrong number of days."""
    if len(answer.days) != task.request.days:
        raise ModelRetry(f"write exactly {task.request.days} days, not {len(answer.days)}")
    unknown = sorted({item.food_id for day in answer.days for meal in day.meals for item in meal.items
                      if task.catalogue.food(item.food_id) is None})
    if unknown:
        raise ModelRetry(f"these food ids are not in the list: {', '.join(unknown[:10])}")
    return MealDraft(tuple(
        MealDay.build(date, [(meal.name, [(item.food_id, item.grams) for item in meal.items]) for meal in day.meals],
                      task.energy, task.catalogue)
        for date, day in zip(task.request.dates(), answer.days)
    ))


def _exercise(catalogue: Catalogue, exercise_id: str) -> Exercise:
    exercise = catalogue.exercise(exercise_id)
    if exercise is None:
        raise ModelRetry(f"{exercise_id!r} is not in the list")
    return exercise


def _workout_agent(model: Model | str) -> Agent[WorkoutTask, WorkoutAnswer]:
    agent = Agent(model, output_type=WorkoutAnswer, deps_type=WorkoutTask, retries=RETRIES, defer_model_check=True,
                  instructions="You are a strength coach. Write the week of training the user asks for, choosing "
                               "only exercises from the list given, and keep every rule stated.")

    @agent.output_validator
    def keeps_the_rules(ctx: RunContext[WorkoutTask], answer: WorkoutAnswer) -> WorkoutAnswer:
        broken = validate_workout_draft(workout_draft(answer, ctx.deps), ctx.deps.profile, ctx.deps.catalogue)
        if broken:
            raise ModelRetry("the plan breaks these rules; fix them: " + "; ".join(map(str, broken[:10])))
        return answer

    return agent


def _meal_agent(model: Model | str) -> Agent[MealTask, MealAnswer]:
    agent = Agent(model, output_type=MealAnswer, deps_type=MealTask, retries=RETRIES, defer_model_check=True,
                  instructions="You are a dietitian. Write the meal plan the user asks for, choosing only foods from "
                               "the list given, and keep every rule stated.")

    @agent.output_validator
    def keeps_the_rules(ctx: RunContext[MealTask], answer: MealAnswer) -> MealAnswer:
        task = ctx.deps
        broken = validate_meal_draft(meal_draft(answer, task), task.profile, task.energy, task.catalogue)
        if broken:
            raise ModelRetry("the plan breaks these rules; fix them: " + "; ".join(map(str, broken[:10])))
        return answer

    return agent


class LlmPlanGenerator:
    """Drafts from a language model through pydantic-ai; GenerationFailed when it gives no valid one in time."""

    name = "llm"

    def __init__(self, model: Model | str, *, model_name: str, timeout: timedelta) -> None:
        self._workout = _workout_agent(model)
        self._meals = _meal_agent(model)
        self._model_name = model_name
        self._timeout = timeout.total_seconds()

    def version(self, kind: str) -> str:
        return f"{self._model_name}/prompt-{PROMPT_VERSION}"

    async def workout(self, profile: Profile, request: WorkoutRequest, catalogue: Catalogue) -> Drafted[WorkoutDraft]:
        task = WorkoutTask(profile, request, catalogue)
        usage = RunUsage()
        try:
            result = await self._workout.run(workout_prompt(task), deps=task, usage=usage, timeout=self._timeout,
                                             usage_limits=UsageLimits(request_limit=RETRIES + 2))
        except Exception as error:  # noqa: BLE001 (every failure of the model means: the rules answer)
            raise GenerationFailed(_reason(error, self._timeout), _tokens(usage)) from None
        return Drafted(workout_draft(result.output, task), _tokens(result.usage))

    async def meals(
        self, profile: Profile, energy: Energy, request: MealRequest, catalogue: Catalogue,
    ) -> Drafted[MealDraft]:
        task = MealTask(profile, energy, request, catalogue)
        usage = RunUsage()
        try:
            result = await self._meals.run(meal_prompt(task), deps=task, usage=usage, timeout=self._timeout,
                                           usage_limits=UsageLimits(request_limit=RETRIES + 2))
        except Exception as error:  # noqa: BLE001
            raise GenerationFailed(_reason(error, self._timeout), _tokens(usage)) from None
        return Drafted(meal_draft(result.output, task), _tokens(result.usage))


def workout_prompt(task: WorkoutTask) -> str:
    """The request, the rules and the exercises the profile allows (by id, with their muscles)."""
    profile = task.profile
    days = profile.training_days_per_week
    low, high = volume_range(profile.experience)
    listed = [e for e in task.catalogue.exercises
              if e.category in (Category.STRENGTH, Category.POWERLIFTING) and e.primary_muscles
              and suits(e, profile)][:EXERCISES_LISTED]
    lines = [
        f"Write {days} training days for a {profile.experience} lifter; the week repeats for {task.request.weeks} "
        f"weeks ({split_for(days)} split, days in this order of focus: {', '.join(focuses(days))}).",
        f"Each of chest, back (lats and middle back), shoulders, quadriceps, hamstrings and glutes gets {low}-{high} "
        "sets a week: a set counts 1 for a group holding a primary muscle of its exercise, else 0.5 for a secondary.",
        f"A day lasts at most {profile.session_minutes} minutes: 5 of warm-up, then per exercise 60 s of set-up and "
        "per set 45 s plus its rest.",
        f"Per exercise: {SETS[0]}-{SETS[1]} sets, {REPS[0]} <= rep_min <= rep_max <= {REPS[1]}, rir {RIR[0]}-{RIR[1]}, "
        f"rest {REST_SECONDS[0]}-{REST_SECONDS[1]} s; 1-{EXERCISES_PER_DAY_MAX} exercises a day, none twice a day.",
        "Exercises (id | primary muscles | secondary muscles | mechanic):",
        *(f"{e.id} | {', '.join(e.primary_muscles)} | {', '.join(e.secondary_muscles)} | {e.mechanic or ''}"
          for e in listed),
    ]
    return "\n".join(lines)


def meal_prompt(task: MealTask) -> str:
    """The request, the targets, the rules and the foods the profile allows (by id, per 100 g)."""
    profile, energy = task.profile, task.energy
    names = MEAL_NAMES[profile.meals_per_day]
    lines = [
        f"Write {task.request.days} days of meals, each day the meals {', '.join(names)} in that order.",
        f"Each day: {energy.target_kcal} kcal within 5 %, at least {round(0.9 * energy.protein_g)} g protein "
        f"(aim for {energy.protein_g} g protein, {energy.carbs_g} g carbohydrate, {energy.fat_g} g fat).",
        "Per meal 1-8 items; grams 5-1000 in steps of 5; no food more than twice a day.",
        "Foods (id | kcal | protein g | carbohydrate g | fat g, per 100 g | usual grams | meals it suits):",
        *(f"{f.id} | {f.kcal_100g:g} | {f.protein_100g:g} | {f.carbs_100g:g} | {f.fat_100g:g} | "
          f"{f.default_grams:g} | {', '.join(f.slots)}" for f in usable_foods(profile, task.catalogue)),
    ]
    return "\n".join(lines)


def _reason(error: Exception, timeout: float) -> str:
    """Why the model gave no plan, in words that quote nothing from the provider (keys, prompts, answers)."""
    if isinstance(error, TimeoutError):
        return f"the model did not answer within {timeout:g} s"
    if isinstance(error, ModelHTTPError):
        return f"the model's provider answered HTTP {error.status_code}"
    if isinstance(error, ModelAPIError):
        return f"the model could not be reached ({type(error).__name__})"
    if isinstance(error, UsageLimitExceeded | UnexpectedModelBehavior):
        return f"the model gave no plan keeping the rules in {RETRIES + 1} tries"
    return f"the model failed ({type(error).__name__})"


def _tokens(usage: RunUsage) -> TokenUsage | None:
    if not usage.requests:
        return None
    return TokenUsage(usage.requests, usage.input_tokens, usage.output_tokens)
