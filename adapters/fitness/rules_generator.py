"""The `rules` plan generator: the domain's deterministic generators, run off the event loop."""

import asyncio

from application.fitness.ports import Drafted
from domain.fitness import meal_planner, workout_rules
from domain.fitness.catalogue import Catalogue
from domain.fitness.energy import Energy
from domain.fitness.meals import MealDraft, MealRequest
from domain.fitness.profile import Profile
from domain.fitness.workout import WorkoutDraft, WorkoutRequest


class RulesPlanGenerator:
    """Offline and deterministic: the same profile and request give the same draft (PlanInfeasible when none)."""

    name = workout_rules.GENERATOR

    def version(self, kind: str) -> str:
        return workout_rules.VERSION if kind == "workout" else meal_planner.VERSION

    async def workout(self, profile: Profile, request: WorkoutRequest, catalogue: Catalogue) -> Drafted[WorkoutDraft]:
        return Drafted(await asyncio.to_thread(workout_rules.generate_workout, profile, request, catalogue))

    async def meals(
        self, profile: Profile, energy: Energy, request: MealRequest, catalogue: Catalogue,
    ) -> Drafted[MealDraft]:
        return Drafted(await asyncio.to_thread(meal_planner.plan_meals, profile, energy, request, catalogue))
