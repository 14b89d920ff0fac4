"""PostgreSQL workout plans with their versions and adaptation weeks, logged sessions, and meal plans."""

from datetime import datetime
from typing import Any, final
from uuid import UUID

from sqlalchemy import DateTime, Integer, and_, bindparam, delete, exists, func, insert, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from adapters.postgres.connection import LazyConnection
from adapters.postgres.errors import translating
from adapters.postgres.fitness.drafts import (
    changes_json, changes_of, deleted, meal_draft, meal_json, sets_json, sets_of, workout_draft, workout_json,
)
from adapters.postgres.prepared import PreparedRead, columns
from adapters.postgres.tables.fitness import (
    meal_plans, workout_plan_versions, workout_plan_weeks, workout_plans, workout_sessions,
)
from application.fitness.ports import MealPlanRepository, WorkoutPlanRepository, WorkoutSessionRepository
from domain.fitness.plans import (
    Generator, MealPlan, Provenance, TokenUsage, VersionReason, WorkoutPlan, WorkoutPlanChanged, WorkoutPlanVersion,
    WorkoutSession, unknown_workout_plan,
)
from domain.fitness.progression import LoggedSession

_p, _v = workout_plans.c, workout_plan_versions.c
_WITH_VERSION = PreparedRead(  # the version's own columns under names the plan's do not take
    select(workout_plans, _v.version.label("shown_version"), _v.draft, _v.reason, _v.changes,
           _v.created_at.label("shown_created_at"))
    .join(workout_plan_versions, and_(
        _v.plan_id == _p.id, _v.owner_id == _p.owner_id,
        _v.version == func.coalesce(bindparam("version", type_=Integer), _p.version)))
    .where(_p.id == bindparam("id"), _p.owner_id == bindparam("owner_id")))
_VERSION_TAKEN = {"pk_workout_plan_versions": WorkoutPlanChanged}
_SESSION_ERRORS = {"fk_workout_sessions_owner_id_workout_plans": lambda: unknown_workout_plan("plan_id")}


def _provenance(values: Any) -> Provenance:
    usage = None if values["llm_requests"] is None else TokenUsage(
        values["llm_requests"], values["llm_input_tokens"], values["llm_output_tokens"])
    return Provenance(Generator(values["generator"]), values["fallback_reason"], usage)


def _provenance_values(provenance: Provenance) -> dict[str, Any]:
    usage = provenance.usage
    return {"generator": provenance.generator.value, "fallback_reason": provenance.fallback_reason,
            "llm_requests": None if usage is None else usage.requests,
            "llm_input_tokens": None if usage is None else usage.input_tokens,
            "llm_output_tokens": None if usage is None else usage.output_tokens}


def _plan(row: Any) -> WorkoutPlan:
    v = columns(row)
    return WorkoutPlan(v["id"], v["owner_id"], v["name"], v["version"], v["auto_adapt"], _provenance(v),
                       v["created_at"], v["updated_at"])


def _plan_values(plan: WorkoutPlan) -> dict[str, Any]:
    return {"id": plan.id, "owner_id": plan.owner_id, "name": plan.name, "version": plan.version,
            "auto_adapt": plan.auto_adapt, "created_at": plan.created_at, "updated_at": plan.updated_at,
            **_provenance_values(plan.provenance)}


def _version(row: Any) -> WorkoutPlanVersion:
    v = columns(row)
    return WorkoutPlanVersion(v["owner_id"], v["plan_id"], v["version"], workout_draft(v["draft"]),
                              VersionReason(v["reason"]), changes_of(v["changes"]), v["created_at"])


def _shown_version(v: Any) -> WorkoutPlanVersion:
    return WorkoutPlanVersion(v["owner_id"], v["id"], v["shown_version"], workout_draft(v["draft"]),
                              VersionReason(v["reason"]), changes_of(v["changes"]), v["shown_created_at"])


def _version_values(version: WorkoutPlanVersion) -> dict[str, Any]:
    return {"owner_id": version.owner_id, "plan_id": version.plan_id, "version": version.version,
            "draft": workout_json(version.draft), "reason": version.reason.value,
            "changes": changes_json(version.changes), "created_at": version.created_at}


@final
class PostgresWorkoutPlanRepository(WorkoutPlanRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, plan: WorkoutPlan, first: WorkoutPlanVersion) -> None:
        await self._conn.execute(insert(workout_plans).values(_plan_values(plan)))
        await self._conn.execute(insert(workout_plan_versions).values(_version_values(first)))

    async def get(self, owner_id: UUID, plan_id: UUID, *, for_update: bool = False) -> WorkoutPlan | None:
        statement = select(workout_plans).where(workout_plans.c.id == plan_id, workout_plans.c.owner_id == owner_id)
        row = (await self._conn.execute(statement.with_for_update() if for_update else statement)).first()
        return None if row is None else _plan(row)

    async def version(self, owner_id: UUID, plan_id: UUID, version: int) -> WorkoutPlanVersion | None:
        c = workout_plan_versions.c
        row = (await self._conn.execute(select(workout_plan_versions).where(
            c.plan_id == plan_id, c.version == version, c.owner_id == owner_id))).first()
        return None if row is None else _version(row)

    async def with_version(
        self, owner_id: UUID, plan_id: UUID, version: int | None = None,
    ) -> tuple[WorkoutPlan, WorkoutPlanVersion] | None:
        row = await _WITH_VERSION.one(self._conn, id=plan_id, owner_id=owner_id, version=version)
        return None if row is None else (_plan(row), _shown_version(row))

    async def add_version(self, plan: WorkoutPlan, version: WorkoutPlanVersion) -> None:
        await translating(self._conn.execute(insert(workout_plan_versions).values(_version_values(version))),
                          _VERSION_TAKEN)
        await self.save(plan)

    async def save(self, plan: WorkoutPlan) -> None:
        await self._conn.execute(update(workout_plans).values(_plan_values(plan)).where(
            workout_plans.c.id == plan.id, workout_plans.c.owner_id == plan.owner_id))

    async def page(self, owner_id: UUID, *, after: UUID | None, limit: int) -> list[WorkoutPlan]:
        statement = (select(workout_plans).where(workout_plans.c.owner_id == owner_id)
                     .order_by(workout_plans.c.id).limit(limit))
        if after is not None:
            statement = statement.where(workout_plans.c.id > after)
        return [_plan(row) for row in await self._conn.execute(statement)]

    async def remove(self, owner_id: UUID, plan_id: UUID) -> bool:
        """Its versions, weeks and sessions go with it (ON DELETE CASCADE)."""
        statement = delete(workout_plans).where(workout_plans.c.id == plan_id, workout_plans.c.owner_id == owner_id)
        return deleted(await self._conn.execute(statement)) == 1

    async def due_for_auto_adaptation(self, week: str, limit: int) -> list[tuple[UUID, UUID]]:
        adapted = exists().where(workout_plan_weeks.c.plan_id == workout_plans.c.id, workout_plan_weeks.c.week == week)
        statement = (select(workout_plans.c.owner_id, workout_plans.c.id)
                     .where(workout_plans.c.auto_adapt, ~adapted).order_by(workout_plans.c.id).limit(limit))
        return [(owner_id, plan_id) for owner_id, plan_id in await self._conn.execute(statement)]

    async def claim_week(self, owner_id: UUID, plan_id: UUID, week: str, now: datetime) -> bool:
        owned = select(workout_plans.c.id, literal(week), workout_plans.c.owner_id, literal(now, DateTime(timezone=True))
                       ).where(workout_plans.c.id == plan_id, workout_plans.c.owner_id == owner_id)
        statement = pg_insert(workout_plan_weeks).from_select(
            ["plan_id", "week", "owner_id", "created_at"], owned,
        ).on_conflict_do_nothing().returning(workout_plan_weeks.c.plan_id)
        return (await self._conn.execute(statement)).first() is not None


def _session(row: Any) -> WorkoutSession:
    v = columns(row)
    logged = LoggedSession(v["day"], v["performed_on"], v["plan_version"], sets_of(v["sets"]))
    return WorkoutSession(v["id"], v["owner_id"], v["plan_id"], logged, v["created_at"])


@final
class PostgresWorkoutSessionRepository(WorkoutSessionRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, session: WorkoutSession) -> None:
        logged = session.logged
        await translating(self._conn.execute(insert(workout_sessions).values(
            id=session.id, owner_id=session.owner_id, plan_id=session.plan_id, plan_version=logged.plan_version,
            day=logged.day, performed_on=logged.performed_on, sets=sets_json(logged.sets),
            created_at=session.created_at,
        )), _SESSION_ERRORS)

    async def page(
        self, owner_id: UUID, *, plan_id: UUID | None, after: UUID | None, limit: int,
    ) -> list[WorkoutSession]:
        c = workout_sessions.c
        statement = select(workout_sessions).where(c.owner_id == owner_id).order_by(c.id).limit(limit)
        if plan_id is not None:
            statement = statement.where(c.plan_id == plan_id)
        if after is not None:
            statement = statement.where(c.id > after)
        return [_session(row) for row in await self._conn.execute(statement)]

    async def latest(self, owner_id: UUID, plan_id: UUID, limit: int) -> list[WorkoutSession]:
        c = workout_sessions.c
        statement = (select(workout_sessions).where(c.plan_id == plan_id, c.owner_id == owner_id)
                     .order_by(c.performed_on.desc(), c.id.desc()).limit(limit))
        return [_session(row) for row in await self._conn.execute(statement)]


def _meal_plan(row: Any) -> MealPlan:
    v = columns(row)
    return MealPlan(v["id"], v["owner_id"], v["version"], meal_draft(v["draft"]), _provenance(v),
                    v["created_at"], v["updated_at"])


def _meal_values(plan: MealPlan) -> dict[str, Any]:
    return {"id": plan.id, "owner_id": plan.owner_id, "version": plan.version, "draft": meal_json(plan.draft),
            "created_at": plan.created_at, "updated_at": plan.updated_at, **_provenance_values(plan.provenance)}


@final
class PostgresMealPlanRepository(MealPlanRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def add(self, plan: MealPlan) -> None:
        await self._conn.execute(insert(meal_plans).values(_meal_values(plan)))

    async def get(self, owner_id: UUID, plan_id: UUID, *, for_update: bool = False) -> MealPlan | None:
        statement = select(meal_plans).where(meal_plans.c.id == plan_id, meal_plans.c.owner_id == owner_id)
        row = (await self._conn.execute(statement.with_for_update() if for_update else statement)).first()
        return None if row is None else _meal_plan(row)

    async def save(self, plan: MealPlan) -> None:
        await self._conn.execute(update(meal_plans).values(_meal_values(plan)).where(
            meal_plans.c.id == plan.id, meal_plans.c.owner_id == plan.owner_id))

    async def page(self, owner_id: UUID, *, after: UUID | None, limit: int) -> list[MealPlan]:
        statement = select(meal_plans).where(meal_plans.c.owner_id == owner_id).order_by(meal_plans.c.id).limit(limit)
        if after is not None:
            statement = statement.where(meal_plans.c.id > after)
        return [_meal_plan(row) for row in await self._conn.execute(statement)]

    async def remove(self, owner_id: UUID, plan_id: UUID) -> bool:
        statement = delete(meal_plans).where(meal_plans.c.id == plan_id, meal_plans.c.owner_id == owner_id)
        return deleted(await self._conn.execute(statement)) == 1
