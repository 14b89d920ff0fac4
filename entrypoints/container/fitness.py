"""The fitness context: the catalogue, the plan generators (rules, or an LLM with the rules behind it), the use cases."""

from datetime import timedelta

from typing import TYPE_CHECKING

from dependency_injector import containers, providers

from adapters.fitness.catalogue import load_catalogue
from adapters.fitness.rules_generator import RulesPlanGenerator
from application.fitness import generation, meals, profiles, sessions, workouts
from application.fitness.catalogue import GetExercise, GetFood, ListExercises, ListFoods
from application.fitness.ports import FitnessUnitOfWork
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from entrypoints.settings import Settings, revealed

if TYPE_CHECKING:  # pydantic-ai is imported only when the LLM generator is chosen: it doubles startup and memory
    from adapters.fitness.llm_generator import LlmPlanGenerator


def _llm_generator(settings: Settings) -> "LlmPlanGenerator":
    """The LLM generator on ATRIUM_FITNESS_MODEL: a Google model (`google:gemini-2.5-flash`) with GOOGLE_API_KEY,
    any other pydantic-ai model name with that provider's own environment."""
    from pydantic_ai.models import Model

    from adapters.fitness.llm_generator import LlmPlanGenerator

    provider, _, name = settings.fitness_model.partition(":")
    model: Model | str = settings.fitness_model
    if provider in ("google", "google-gla"):
        from pydantic_ai.models.google import GoogleModel
        from pydantic_ai.providers.google import GoogleProvider

        model = GoogleModel(name, provider=GoogleProvider(api_key=revealed(settings.google_api_key)))
    return LlmPlanGenerator(model, model_name=settings.fitness_model,
                            timeout=timedelta(seconds=settings.fitness_llm_timeout_seconds))


class Fitness(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    config = providers.Configuration()
    uow: providers.Dependency[FitnessUnitOfWork] = providers.Dependency()  # use cases get `uow.provider`: one per call
    clock: providers.Dependency[Clock] = providers.Dependency()
    ids: providers.Dependency[IdGenerator] = providers.Dependency()

    catalogue = providers.Singleton(load_catalogue)
    rules_generator = providers.Singleton(RulesPlanGenerator)
    plan_generator = providers.Selector(
        config.fitness_generator, rules=rules_generator, llm=providers.Singleton(_llm_generator, settings))
    maker = providers.Factory(generation.PlanMaker, uow=uow.provider, generator=plan_generator,
                              rules=rules_generator, catalogue=catalogue, llm_daily_plans=config.fitness_llm_daily_plans)

    list_exercises = providers.Factory(ListExercises, catalogue=catalogue)
    get_exercise = providers.Factory(GetExercise, catalogue=catalogue)
    list_foods = providers.Factory(ListFoods, catalogue=catalogue)
    get_food = providers.Factory(GetFood, catalogue=catalogue)
    put_profile = providers.Factory(profiles.PutFitnessProfile, uow=uow.provider, clock=clock, ids=ids,
                                    catalogue=catalogue)
    get_profile = providers.Factory(profiles.GetFitnessProfile, uow=uow.provider, clock=clock)
    record_weight = providers.Factory(profiles.RecordWeight, uow=uow.provider, clock=clock, ids=ids)
    list_weights = providers.Factory(profiles.ListWeights, uow=uow.provider)
    record_intake = providers.Factory(profiles.RecordIntake, uow=uow.provider, clock=clock, ids=ids)
    list_intakes = providers.Factory(profiles.ListIntakes, uow=uow.provider)
    create_workout_plan = providers.Factory(workouts.CreateWorkoutPlan, uow=uow.provider, clock=clock, ids=ids,
                                            maker=maker)
    get_workout_plan = providers.Factory(workouts.GetWorkoutPlan, uow=uow.provider)
    list_workout_plans = providers.Factory(workouts.ListWorkoutPlans, uow=uow.provider)
    update_workout_plan = providers.Factory(workouts.UpdateWorkoutPlan, uow=uow.provider, clock=clock,
                                            catalogue=catalogue)
    delete_workout_plan = providers.Factory(workouts.DeleteWorkoutPlan, uow=uow.provider)
    adapt_workout_plan = providers.Factory(workouts.AdaptWorkoutPlan, uow=uow.provider, clock=clock,
                                           catalogue=catalogue)
    auto_adapt_workout_plans = providers.Factory(workouts.AutoAdaptWorkoutPlans, uow=uow.provider, clock=clock,
                                                 catalogue=catalogue)
    log_workout_session = providers.Factory(sessions.LogWorkoutSession, uow=uow.provider, clock=clock, ids=ids,
                                            catalogue=catalogue)
    list_workout_sessions = providers.Factory(sessions.ListWorkoutSessions, uow=uow.provider)
    create_meal_plan = providers.Factory(meals.CreateMealPlan, uow=uow.provider, clock=clock, ids=ids, maker=maker)
    get_meal_plan = providers.Factory(meals.GetMealPlan, uow=uow.provider)
    list_meal_plans = providers.Factory(meals.ListMealPlans, uow=uow.provider)
    delete_meal_plan = providers.Factory(meals.DeleteMealPlan, uow=uow.provider)
    adapt_meal_plan = providers.Factory(meals.AdaptMealPlan, uow=uow.provider, clock=clock, maker=maker)
    purge_plan_cache = providers.Factory(generation.PurgePlanCache, uow=uow.provider, clock=clock)
