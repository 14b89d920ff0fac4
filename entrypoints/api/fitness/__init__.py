"""Routes of the fitness context, one module per resource."""

from entrypoints.api.fitness import (
    exercises, foods, intake, meal_plans, profile, weights, workout_plans, workout_sessions,
)

routers = (exercises.router, foods.router, profile.router, weights.router, intake.router, workout_plans.router,
           workout_sessions.router, meal_plans.router)
