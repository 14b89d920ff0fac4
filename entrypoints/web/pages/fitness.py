"""The fitness pages: the profile form with its energy targets, weight and intake logging with the trend chart, and
what the home page shows for today; the fitness use cases through the container, as the API's routes call them."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from fastapi import Request, Response

from application.shared.pages import MAX_LIMIT, Page
from domain.fitness.catalogue import Equipment
from domain.fitness.plans import FitnessProfileNotFound, MealPlan, WorkoutPlan
from domain.shared.errors import DomainError
from entrypoints.api.problems import status_of
from entrypoints.web.charts import Series, line_chart
from entrypoints.web.messages import field_errors
from entrypoints.web.page_route import page_router
from entrypoints.web.rendering import Session, account_today, container, form_failed, form_values, redirect, render

router = page_router()
TABS = [("Overview", "/fitness"), ("Profile", "/fitness/profile"), ("Workouts", "/fitness/workouts"),
        ("Meals", "/fitness/meals"), ("Weight and intake", "/fitness/log")]
CHOICES = {
    "sex": [("female", "Female"), ("male", "Male")],
    "activity_level": [("sedentary", "Sedentary"), ("light", "Light"), ("moderate", "Moderate"),
                       ("active", "Active"), ("very_active", "Very active")],
    "goal": [("lose", "Lose weight"), ("maintain", "Maintain"), ("gain", "Gain weight")],
    "experience": [("beginner", "Beginner"), ("intermediate", "Intermediate"), ("advanced", "Advanced")],
    "diet": [("omnivore", "Omnivore"), ("pescatarian", "Pescatarian"), ("vegetarian", "Vegetarian"),
             ("vegan", "Vegan")],
}
EQUIPMENT = [e.value for e in Equipment]
TREND_DAYS = 120  # the weigh-ins and intake logs the trend chart reads (newest first, one page)
PAGES_MAX = 50  # pages of 200 read to find the newest plan or session (lists run oldest first)
T = TypeVar("T")


def number(value: str | None) -> object:
    """A form's number as the use case takes it: a float, None when blank, else the text (the domain then says the
    field must be a number)."""
    if not value:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return value


def whole(value: str | None) -> object:
    """A form's whole number: an int, None when blank, else the text (refused by the domain, naming the field)."""
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return value


def day(value: str | None) -> object:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return value


async def newest(list_: Callable[..., Awaitable[Page[T]]], *args: Any, **kwargs: Any) -> T | None:
    """The last item of a list that runs oldest first, walking at most PAGES_MAX pages."""
    cursor, last = None, None
    for _ in range(PAGES_MAX):
        page = await list_(*args, cursor=cursor, limit=MAX_LIMIT, **kwargs)
        last = page.items[-1] if page.items else last
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    return last


async def profile_or_none(request: Request, owner_id: UUID) -> Any:
    try:
        return await container(request).fitness.get_profile()(owner_id)
    except FitnessProfileNotFound:
        return None


@router.get("/fitness")
async def overview(request: Request, session: Session) -> Response:
    """The profile's targets, and today's workout and meals."""
    today = await account_today(request, session.account_id)
    return render(request, "fitness/overview.html", tabs=TABS, module_name="Fitness",
                  view=await profile_or_none(request, session.account_id),
                  today=await today_plan(request, session.account_id, today))


@router.get("/fitness/profile")
async def profile_form(request: Request, session: Session) -> Response:
    view = await profile_or_none(request, session.account_id)
    return render(request, "fitness/profile.html", tabs=TABS, module_name="Fitness", view=view,
                  values=_profile_values(view), choices=CHOICES, equipment=EQUIPMENT)


@router.post("/fitness/profile")
async def save_profile(request: Request, session: Session) -> Response:
    """Set the whole profile (the API's PUT): errors beside their field, the targets after."""
    values = await form_values(request)
    form = await request.form()
    chosen = [str(v) for v in form.getlist("equipment")]
    excluded = [part.strip() for part in values.get("excluded_foods", "").split(",") if part.strip()]
    try:
        await container(request).fitness.put_profile()(
            session.account_id, sex=values.get("sex"), birth_date=day(values.get("birth_date")),
            height_cm=number(values.get("height_cm")), weight_kg=number(values.get("weight_kg")),
            activity_level=values.get("activity_level"), goal=values.get("goal"),
            weekly_rate_kg=number(values.get("weekly_rate_kg")), experience=values.get("experience"),
            equipment=chosen, training_days_per_week=whole(values.get("training_days_per_week")),
            session_minutes=whole(values.get("session_minutes")), diet=values.get("diet"),
            excluded_foods=excluded, meals_per_day=whole(values.get("meals_per_day")))
    except DomainError as error:
        return form_failed(request, "fitness/profile.html", error, tabs=TABS, module_name="Fitness",
                           view=await profile_or_none(request, session.account_id),
                           values={**values, "equipment": chosen}, choices=CHOICES, equipment=EQUIPMENT)
    return redirect("/fitness/profile?saved=1")


def _profile_values(view: Any) -> dict[str, Any]:
    if view is None:
        return {"equipment": [], "training_days_per_week": "3", "session_minutes": "60", "meals_per_day": "3"}
    p = view.profile.profile
    return {"sex": p.sex, "birth_date": p.birth_date.isoformat(), "height_cm": f"{p.height_cm:g}",
            "weight_kg": f"{p.weight_kg:g}", "activity_level": p.activity_level, "goal": p.goal,
            "weekly_rate_kg": f"{p.weekly_rate_kg:g}", "experience": p.experience,
            "equipment": [str(e) for e in p.equipment], "training_days_per_week": str(p.training_days_per_week),
            "session_minutes": str(p.session_minutes), "diet": p.diet,
            "excluded_foods": ", ".join(p.excluded_foods), "meals_per_day": str(p.meals_per_day)}


@router.get("/fitness/log")
async def log_page(request: Request, session: Session) -> Response:
    return await _log_page(request, session.account_id)


async def _log_page(request: Request, owner_id: UUID, status: int = 200, **context: Any) -> Response:
    """The weight and intake forms, the trend chart and the latest entries."""
    fitness = container(request).fitness
    weights = (await fitness.list_weights()(owner_id, limit=TREND_DAYS)).items
    intakes = (await fitness.list_intakes()(owner_id, limit=TREND_DAYS)).items
    ordered = sorted(weights, key=lambda r: r.entry.day)
    chart = line_chart("Weight trend", [r.entry.day.strftime("%d %b %Y") for r in ordered],
                       [Series("Weight (kg)", [r.entry.weight_kg for r in ordered])], label_heading="Day",
                       zero_based=False, chart_id="chart-weight",
                       description=f"Your last {len(ordered)} weigh-ins, oldest first.")
    by_day = sorted(intakes, key=lambda r: r.entry.day)
    intake_chart = line_chart("Intake (kcal)", [r.entry.day.strftime("%d %b %Y") for r in by_day],
                              [Series("kcal", [r.entry.kcal for r in by_day])], label_heading="Day",
                              chart_id="chart-intake", description=f"Your last {len(by_day)} intake logs.")
    return render(request, "fitness/log.html", tabs=TABS, module_name="Fitness", chart=chart,
                  intake_chart=intake_chart, weights=weights[:14], intakes=intakes[:14], status=status,
                  **{"values": {}, **context})


@router.post("/fitness/weights")
async def log_weight(request: Request, session: Session) -> Response:
    """Record a day's weigh-in (a second for the day replaces it)."""
    values = await form_values(request)
    try:
        await container(request).fitness.record_weight()(
            session.account_id, day=day(values.get("date")), weight_kg=number(values.get("weight_kg")))
    except DomainError as error:
        return await _failed(request, session.account_id, error, values)
    return redirect("/fitness/log")


@router.post("/fitness/intake")
async def log_intake(request: Request, session: Session) -> Response:
    """Record a day's intake: kcal, and protein when known."""
    values = await form_values(request)
    try:
        await container(request).fitness.record_intake()(
            session.account_id, day=day(values.get("intake_date")), kcal=number(values.get("kcal")),
            protein_g=number(values.get("protein_g")))
    except DomainError as error:
        return await _failed(request, session.account_id, error, values, {"date": "intake_date"})
    return redirect("/fitness/log")


async def _failed(request: Request, owner_id: UUID, error: DomainError, values: dict[str, str],
                  renamed: dict[str, str] | None = None) -> Response:
    """The log page again with the error beside its field (`renamed`: the form's name for a use case's field)."""
    errors, message = field_errors(error)
    errors = {(renamed or {}).get(name, name): text for name, text in errors.items()}
    return await _log_page(request, owner_id, status=status_of(error), values=values, errors=errors,
                           form_error=message)


@dataclass(frozen=True, slots=True)
class TodayPlan:
    """Today's workout (the day after the last one logged, or the one logged today) and today's meals."""

    plan: WorkoutPlan | None
    day: Any  # the plan's day (focus, exercises) or None
    done_today: bool
    meals: MealPlan | None
    meal_day: Any  # the meal plan's day for today or None


async def today_plan(request: Request, owner_id: UUID, today: date) -> TodayPlan | None:
    """What the owner trains and eats today by their newest plans; None without any plan."""
    fitness = container(request).fitness
    plan, meals = await asyncio.gather(newest(fitness.list_workout_plans(), owner_id),
                                       newest(fitness.list_meal_plans(), owner_id))
    if plan is None and meals is None:
        return None
    training_day, done = None, False
    if plan is not None:
        view, last = await asyncio.gather(fitness.get_workout_plan()(owner_id, plan.id),
                                          newest(fitness.list_workout_sessions(), owner_id, plan_id=plan.id))
        days = view.version.draft.days
        done = last is not None and last.logged.performed_on == today
        number_ = 1 if last is None else (last.logged.day if done else last.logged.day % len(days) + 1)
        training_day = next((d for d in days if d.day == number_), days[0])
    meal_day = None if meals is None else next((d for d in meals.draft.days if d.date == today), None)
    return TodayPlan(plan, training_day, done, meals, meal_day)
