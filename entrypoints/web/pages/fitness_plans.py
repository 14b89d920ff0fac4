"""The fitness plan pages: generate a workout plan and read it by day, log a session set by set, generate a meal
plan and read it by day with totals against the target; the fitness use cases through the container."""

import re
from typing import Any
from uuid import UUID

from fastapi import Request, Response

from domain.fitness.workout import DEFAULT_WEEKS
from domain.shared.errors import DomainError, NotFound
from entrypoints.api.problems import status_of
from entrypoints.web.messages import field_errors
from entrypoints.web.page_route import page_router
from entrypoints.web.pages.fitness import TABS, newest, number, whole
from entrypoints.web.pages.fitness import day as parse_day
from entrypoints.web.rendering import Session, account_today, container, form_values, redirect, render

router = page_router()
SESSIONS_SHOWN = 10
_SET_FIELD = re.compile(r"sets\[(\d+)\]\.(reps|weight_kg|rir|exercise_id)")


def _plan_id(value: str | None) -> UUID | None:
    """A plan id from the query string; anything else is a plan that does not exist (404)."""
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError:
        raise NotFound("that plan does not exist") from None


@router.get("/fitness/workouts")
async def workouts(request: Request, session: Session) -> Response:
    return await _workouts_page(request, session.account_id, _plan_id(request.query_params.get("plan")))


async def _workouts_page(request: Request, owner_id: UUID, plan_id: UUID | None, status: int = 200,
                         **context: Any) -> Response:
    """A plan by day (the chosen one, else the newest), its latest sessions, your plans, and the generate form."""
    fitness = container(request).fitness
    plans = (await fitness.list_workout_plans()(owner_id, limit=200)).items
    if plan_id is None:
        latest = await newest(fitness.list_workout_plans(), owner_id)
        plan_id = None if latest is None else latest.id
    view = None if plan_id is None else await fitness.get_workout_plan()(owner_id, plan_id)
    sessions = [] if plan_id is None else (
        await fitness.list_workout_sessions()(owner_id, plan_id=plan_id, limit=200)).items[-SESSIONS_SHOWN:][::-1]
    names = {} if view is None else {e.exercise_id: e.name for d in view.version.draft.days for e in d.exercises}
    return render(request, "fitness/workouts.html", tabs=TABS, module_name="Fitness", view=view, plans=plans,
                  sessions=sessions, names=names, default_weeks=DEFAULT_WEEKS, status=status,
                  **{"values": {}, **context})


@router.post("/fitness/workouts")
async def generate_workout_plan(request: Request, session: Session) -> Response:
    """Generate a plan for the profile (the API's rules: none without a profile, a field named when infeasible)."""
    values = await form_values(request)
    try:
        plan = await container(request).fitness.create_workout_plan()(
            session.account_id, name=values.get("name") or None, weeks=whole(values.get("weeks")) or DEFAULT_WEEKS,
            auto_adapt=values.get("auto_adapt") == "on")
    except DomainError as error:
        errors, message = field_errors(error)
        return await _workouts_page(request, session.account_id, None, status_of(error), values=values,
                                    errors=errors, form_error=message)
    return redirect(f"/fitness/workouts?plan={plan.plan.id}")


@router.get("/fitness/workouts/{plan_id:uuid}/days/{day:int}")
async def session_form(request: Request, session: Session, plan_id: UUID, day: int) -> Response:
    return await _session_page(request, session.account_id, plan_id, day)


async def _session_page(request: Request, owner_id: UUID, plan_id: UUID, day: int, status: int = 200,
                        **context: Any) -> Response:
    """The day's exercises, a row per prescribed set to fill in (reps, weight, reps in reserve)."""
    built = container(request)
    view = await built.fitness.get_workout_plan()(owner_id, plan_id)
    training_day = next((d for d in view.version.draft.days if d.day == day), None)
    if training_day is None:
        raise NotFound("that plan has no such day")
    today = await account_today(request, owner_id)
    rows = [(exercise, n) for exercise in training_day.exercises for n in range(1, exercise.sets + 1)]
    return render(request, "fitness/session.html", tabs=TABS, module_name="Fitness", view=view, day=training_day,
                  rows=rows, today=today, status=status, **{"values": {}, **context})


@router.post("/fitness/workouts/{plan_id:uuid}/days/{day:int}")
async def log_session(request: Request, session: Session, plan_id: UUID, day: int) -> Response:
    """Log the filled rows as the day's session; a row without reps is a set not done."""
    values = await form_values(request)
    sets, rows = [], []
    for row in sorted({int(m.group(1)) for name in values if (m := re.fullmatch(r"reps_(\d+)", name))}):
        if not values.get(f"reps_{row}"):
            continue
        rows.append(row)
        sets.append({"exercise_id": values.get(f"exercise_{row}", ""), "reps": whole(values.get(f"reps_{row}")),
                     "weight_kg": number(values.get(f"weight_{row}")) or 0.0,
                     "rir": whole(values.get(f"rir_{row}"))})
    try:
        await container(request).fitness.log_workout_session()(
            session.account_id, plan_id=plan_id, day=day, performed_on=parse_day(values.get("performed_on")), sets=sets)
    except DomainError as error:
        errors, message = field_errors(error)
        errors = {_row_field(name, rows): text for name, text in errors.items()}
        if "sets" in errors or "day" in errors:  # no field of their own on the form: atop it
            message = errors.pop("sets", None) or errors.pop("day", None)
        if error.code == "unknown_workout_plan":
            raise NotFound("that plan does not exist") from None
        return await _session_page(request, session.account_id, plan_id, day, status_of(error), values=values,
                                   errors=errors, form_error=message)
    return redirect(f"/fitness/workouts?plan={plan_id}&logged={day}")


def _row_field(name: str, rows: list[int]) -> str:
    """The form's field for a use case's field: `sets[2].reps` is the reps of the third filled row."""
    found = _SET_FIELD.fullmatch(name)
    if found is None:
        return name
    short = {"reps": "reps", "weight_kg": "weight", "rir": "rir", "exercise_id": "reps"}[found.group(2)]
    return f"{short}_{rows[int(found.group(1))]}"


@router.get("/fitness/meals")
async def meals(request: Request, session: Session) -> Response:
    return await _meals_page(request, session.account_id, _plan_id(request.query_params.get("plan")))


async def _meals_page(request: Request, owner_id: UUID, plan_id: UUID | None, status: int = 200,
                      **context: Any) -> Response:
    """A meal plan by day, each day's totals against its target, and the generate form."""
    fitness = container(request).fitness
    plans = (await fitness.list_meal_plans()(owner_id, limit=200)).items
    plan = await fitness.get_meal_plan()(owner_id, plan_id) if plan_id else await newest(
        fitness.list_meal_plans(), owner_id)
    return render(request, "fitness/meals.html", tabs=TABS, module_name="Fitness", plan=plan, plans=plans,
                  status=status, **{"values": {}, **context})


@router.post("/fitness/meals")
async def generate_meal_plan(request: Request, session: Session) -> Response:
    """Plan meals against today's targets (none without a profile; the target the foods cannot meet is named)."""
    values = await form_values(request)
    try:
        plan = await container(request).fitness.create_meal_plan()(
            session.account_id, days=whole(values.get("days")) or 7,
            start_date=parse_day(values.get("start_date")) if values.get("start_date") else None)
    except DomainError as error:
        errors, message = field_errors(error)
        return await _meals_page(request, session.account_id, None, status_of(error), values=values,
                                 errors=errors, form_error=message)
    return redirect(f"/fitness/meals?plan={plan.id}")
