"""Demo data for fitness: a profile, four weeks of weigh-ins and intake, an upper/lower plan with a few sessions."""

from datetime import date, timedelta

from domain.identity.account import Account
from domain.shared.locale import zone
from entrypoints.container import Container

WEEKS_OF_LOGS = 4


async def seed_fitness(container: Container, account: Account) -> None:
    """The profile (if the account has none), a weigh-in and an intake log for each of the last four weeks' days (a
    rerun replaces them with the same values), and a workout plan with three logged sessions if it has no plan."""
    fitness = container.fitness
    today = container.infrastructure.clock().now().astimezone(zone(account.time_zone)).date()
    async with container.infrastructure.uow(account=account.id) as uow:
        has_profile = await uow.fitness_profiles.get(account.id) is not None
    if not has_profile:
        await fitness.put_profile()(
            account.id, sex="female", birth_date=date(1991, 4, 12), height_cm=168, weight_kg=68.4,
            activity_level="moderate", goal="lose", weekly_rate_kg=0.4, experience="intermediate",
            equipment=["barbell", "dumbbell", "cable", "machine"], training_days_per_week=4, session_minutes=60,
            diet="pescatarian", excluded_foods=[], meals_per_day=4)
    days = WEEKS_OF_LOGS * 7
    for n in range(days, 0, -1):
        day = today - timedelta(days=n)
        weight = 70.0 - 0.06 * (days - n) + (0.3 if n % 3 == 0 else -0.1 if n % 3 == 1 else 0.0)
        await fitness.record_weight()(account.id, day=day, weight_kg=round(weight, 1))
        await fitness.record_intake()(account.id, day=day, kcal=1750 + (n * 37) % 250, protein_g=105 + n % 20)
    if (await fitness.list_workout_plans()(account.id, limit=1)).items:
        return
    view = await fitness.create_workout_plan()(account.id, name="Spring strength", auto_adapt=True)
    for n, day in enumerate((1, 2, 3)):
        exercises = view.version.draft.days[day - 1].exercises
        sets = [{"exercise_id": item.exercise_id, "reps": item.rep_max if n == 0 else item.rep_min,
                 "weight_kg": 40.0 if day != 2 else 60.0} for item in exercises for _ in range(item.sets)]
        await fitness.log_workout_session()(account.id, plan_id=view.plan.id, day=day,
                                            performed_on=today - timedelta(days=6 - 2 * n), sets=sets)
