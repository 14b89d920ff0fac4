"""Use cases on workout plans: generation, reading any version, renaming, swapping, adaptation, deletion."""

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from application.fitness.generation import PlanMaker
from application.fitness.ports import FitnessUnitOfWork
from application.fitness.profiles import require_profile
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.pages import DEFAULT_LIMIT, Page, check_limit, cursor_id, page_of
from application.shared.unit_of_work import Purpose, UowFactory
from domain.fitness.catalogue import Catalogue
from domain.fitness.plans import (
    VersionReason, WorkoutPlan, WorkoutPlanNotFound, WorkoutPlanVersion, check_name, iso_week,
)
from domain.fitness.progression import Adaptation, adapt_workout, swap_exercise
from domain.fitness.workout import WorkoutRequest

SESSIONS_READ = 100  # an adaptation reads the plan's most recent sessions, no more
AUTO_BATCH = 50


@dataclass(frozen=True, slots=True)
class WorkoutPlanView:
    """A plan and one of its versions (the current one unless another was asked for)."""

    plan: WorkoutPlan
    version: WorkoutPlanVersion


async def _plan(uow: FitnessUnitOfWork, owner_id: UUID, plan_id: UUID, *, for_update: bool = False) -> WorkoutPlan:
    plan = await uow.workout_plans.get(owner_id, plan_id, for_update=for_update)
    if plan is None:
        raise WorkoutPlanNotFound()
    return plan


async def _version(uow: FitnessUnitOfWork, plan: WorkoutPlan) -> WorkoutPlanVersion:
    version = await uow.workout_plans.version(plan.owner_id, plan.id, plan.version)
    if version is None:
        raise WorkoutPlanNotFound()
    return version


@dataclass
class CreateWorkoutPlan:
    """Generate a plan of `weeks` weeks (4-16) for the owner's profile; FitnessProfileMissing without one,
    PlanInfeasible naming the profile field that stops every plan."""

    uow: UowFactory[FitnessUnitOfWork]
    clock: Clock
    ids: IdGenerator
    maker: PlanMaker

    async def __call__(
        self, owner_id: UUID, *, name: str | None = None, weeks: object = 8, auto_adapt: bool = False,
    ) -> WorkoutPlanView:
        now = self.clock.now()
        request = WorkoutRequest.create(weeks=weeks)
        check_name(name)  # before generating: a bad name spends nothing
        async with self.uow(account=owner_id) as uow:
            profile = await require_profile(uow, owner_id)
        made = await self.maker.workout(owner_id, profile, request, now)
        plan = WorkoutPlan.create(id=self.ids.new_id(), owner_id=owner_id, name=name, draft=made.draft,
                                  auto_adapt=auto_adapt, provenance=made.provenance, now=now)
        first = WorkoutPlanVersion(owner_id, plan.id, 1, made.draft, VersionReason.GENERATED, (), now)
        async with self.uow(account=owner_id) as uow:
            await uow.workout_plans.add(plan, first)
            await made.keep(uow, owner_id, now)
            await uow.commit()
        return WorkoutPlanView(plan, first)


@dataclass
class GetWorkoutPlan:
    """One of the owner's plans at its current version, or at `version` (every version stays readable)."""

    uow: UowFactory[FitnessUnitOfWork]

    async def __call__(self, owner_id: UUID, plan_id: UUID, *, version: int | None = None) -> WorkoutPlanView:
        async with self.uow(account=owner_id) as uow:
            found = await uow.workout_plans.with_version(owner_id, plan_id, version)
        if found is None:
            raise WorkoutPlanNotFound()
        return WorkoutPlanView(*found)


@dataclass
class ListWorkoutPlans:
    """The owner's plans, oldest first."""

    uow: UowFactory[FitnessUnitOfWork]

    async def __call__(
        self, owner_id: UUID, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT,
    ) -> Page[WorkoutPlan]:
        check_limit(limit)
        async with self.uow(account=owner_id) as uow:
            rows = await uow.workout_plans.page(owner_id, after=cursor_id(cursor), limit=limit + 1)
        return page_of(rows, limit, lambda plan: (plan.id,))


@dataclass(frozen=True, slots=True)
class Swap:
    """Replace `exercise_id` on day `day` with `replacement_id`."""

    day: object
    exercise_id: object
    replacement_id: object


@dataclass
class UpdateWorkoutPlan:
    """Rename a plan, switch its automatic adaptation, or swap one exercise for another from the catalogue (which
    makes the next version; InvalidValue when the swap breaks a rule the plan kept)."""

    uow: UowFactory[FitnessUnitOfWork]
    clock: Clock
    catalogue: Catalogue

    async def __call__(
        self, owner_id: UUID, plan_id: UUID, *, name: object = None, auto_adapt: bool | None = None,
        swap: Swap | None = None,
    ) -> WorkoutPlanView:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            plan = await _plan(uow, owner_id, plan_id, for_update=True)
            if name is not None:
                plan = plan.renamed(name, now)
            if auto_adapt is not None:
                plan = replace(plan, auto_adapt=auto_adapt, updated_at=now)
            current = await _version(uow, plan)
            if swap is None:
                await uow.workout_plans.save(plan)
                await uow.commit()
                return WorkoutPlanView(plan, current)
            profile = await require_profile(uow, owner_id)
            draft = swap_exercise(current.draft, day=swap.day, exercise_id=swap.exercise_id,
                                  replacement_id=swap.replacement_id, profile=profile, catalogue=self.catalogue,
                                  version=plan.version + 1)
            plan = plan.next_version(now)
            version = WorkoutPlanVersion(owner_id, plan.id, plan.version, draft, VersionReason.SWAP, (), now)
            await uow.workout_plans.add_version(plan, version)
            await uow.commit()
        return WorkoutPlanView(plan, version)


@dataclass
class DeleteWorkoutPlan:
    """Delete a plan with its versions and logged sessions."""

    uow: UowFactory[FitnessUnitOfWork]

    async def __call__(self, owner_id: UUID, plan_id: UUID) -> None:
        async with self.uow(account=owner_id) as uow:
            if not await uow.workout_plans.remove(owner_id, plan_id):
                raise WorkoutPlanNotFound()
            await uow.commit()


async def _adaptation(uow: FitnessUnitOfWork, plan: WorkoutPlan, catalogue: Catalogue) -> Adaptation:
    """Double progression of the plan's current version over its last SESSIONS_READ sessions."""
    current = await _version(uow, plan)
    latest = await uow.workout_sessions.latest(plan.owner_id, plan.id, SESSIONS_READ)
    return adapt_workout(current.draft, [session.logged for session in latest], plan.version, catalogue)


async def _save(uow: FitnessUnitOfWork, plan: WorkoutPlan, adaptation: Adaptation, now: datetime) -> WorkoutPlanView:
    plan = plan.next_version(now)
    version = WorkoutPlanVersion(plan.owner_id, plan.id, plan.version, adaptation.draft, VersionReason.ADAPTATION,
                                 adaptation.changes, now)
    await uow.workout_plans.add_version(plan, version)
    return WorkoutPlanView(plan, version)


@dataclass
class AdaptWorkoutPlan:
    """The plan's next version by double progression from its logged sessions (`changes` lists the loads moved)."""

    uow: UowFactory[FitnessUnitOfWork]
    clock: Clock
    catalogue: Catalogue

    async def __call__(self, owner_id: UUID, plan_id: UUID) -> WorkoutPlanView:
        async with self.uow(account=owner_id) as uow:
            plan = await _plan(uow, owner_id, plan_id, for_update=True)
            view = await _save(uow, plan, await _adaptation(uow, plan, self.catalogue), self.clock.now())
            await uow.commit()
        return view


@dataclass(frozen=True, slots=True)
class AutoAdaptReport:
    checked: int
    adapted: int


@dataclass
class AutoAdaptWorkoutPlans:
    """One pass of automatic adaptation: each plan that opted in is adapted once per ISO week (UTC), whichever worker
    gets there first; a week without a change of load makes no version. Bounded by the number of such plans."""

    uow: UowFactory[FitnessUnitOfWork]
    clock: Clock
    catalogue: Catalogue
    batch_size: int = AUTO_BATCH

    async def __call__(self) -> AutoAdaptReport:
        now = self.clock.now()
        week = iso_week(now.date())
        checked = adapted = 0
        while True:
            async with self.uow(purpose=Purpose.ADAPT) as uow:
                due = await uow.workout_plans.due_for_auto_adaptation(week, self.batch_size)
            for owner_id, plan_id in due:
                async with self.uow(account=owner_id) as uow:
                    plan = await uow.workout_plans.get(owner_id, plan_id, for_update=True)
                    if plan is None or not await uow.workout_plans.claim_week(owner_id, plan_id, week, now):
                        continue  # deleted, or adapted this week by another worker meanwhile
                    adaptation = await _adaptation(uow, plan, self.catalogue)
                    if adaptation.changes:
                        await _save(uow, plan, adaptation, now)
                    await uow.commit()
                checked += 1
                adapted += bool(adaptation.changes)
            if len(due) < self.batch_size:
                return AutoAdaptReport(checked, adapted)

