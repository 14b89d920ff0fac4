"""Logging workout sessions against a plan, and reading them back."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from uuid import UUID

from application.fitness.ports import FitnessUnitOfWork
from application.fitness.profiles import local_today
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.pages import DEFAULT_LIMIT, Page, check_limit, cursor_id, page_of
from application.shared.unit_of_work import UowFactory
from domain.fitness.catalogue import Catalogue
from domain.fitness.plans import WorkoutSession, unknown_workout_plan
from domain.fitness.progression import LoggedSession


@dataclass
class LogWorkoutSession:
    """Record what was done on a day of one of the owner's plans, against its current version; a plan that is not
    the owner's is unknown_workout_plan on plan_id (422)."""

    uow: UowFactory[FitnessUnitOfWork]
    clock: Clock
    ids: IdGenerator
    catalogue: Catalogue

    async def __call__(
        self, owner_id: UUID, *, plan_id: UUID, day: object, performed_on: object,
        sets: Iterable[Mapping[str, object]],
    ) -> WorkoutSession:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            plan = await uow.workout_plans.get(owner_id, plan_id)
            current = None if plan is None else await uow.workout_plans.version(owner_id, plan_id, plan.version)
            if plan is None or current is None:
                raise unknown_workout_plan("plan_id")
            logged = LoggedSession.create(
                plan=current.draft, plan_version=plan.version, catalogue=self.catalogue,
                today=await local_today(uow, owner_id, now), day=day, performed_on=performed_on,
                sets=(dict(raw) for raw in sets),
            )
            session = WorkoutSession(self.ids.new_id(), owner_id, plan_id, logged, now)
            await uow.workout_sessions.add(session)
            await uow.commit()
        return session


@dataclass
class ListWorkoutSessions:
    """The owner's logged sessions (of one plan when `plan_id` is given), oldest logged first."""

    uow: UowFactory[FitnessUnitOfWork]

    async def __call__(
        self, owner_id: UUID, *, plan_id: UUID | None = None, cursor: str | None = None, limit: int = DEFAULT_LIMIT,
    ) -> Page[WorkoutSession]:
        check_limit(limit)
        async with self.uow(account=owner_id) as uow:
            rows = await uow.workout_sessions.page(owner_id, plan_id=plan_id, after=cursor_id(cursor), limit=limit + 1)
        return page_of(rows, limit, lambda session: (session.id,))
