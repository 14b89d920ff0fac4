"""Use cases on meal plans: generation, reading, adaptation to the current targets, deletion."""

from dataclasses import dataclass
from uuid import UUID

from application.fitness.generation import PlanMaker
from application.fitness.ports import FitnessUnitOfWork
from application.fitness.profiles import energy_of, local_today, require_profile
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.pages import DEFAULT_LIMIT, Page, check_limit, cursor_id, page_of
from application.shared.unit_of_work import UowFactory
from domain.fitness.meals import MealDraft, MealRequest
from domain.fitness.plans import MealPlan, MealPlanNotFound
from domain.shared.errors import Conflict


class MealPlanOver(Conflict):
    code = "meal_plan_over"

    def __init__(self) -> None:
        super().__init__("every day of the meal plan is past: there is nothing left to rebuild")


@dataclass
class CreateMealPlan:
    """Plan `days` days (1-14) from `start_date` (default today in the account's time zone) against today's targets;
    FitnessProfileMissing without a profile, PlanInfeasible (422) naming the field when the allowed foods cannot
    meet the targets."""

    uow: UowFactory[FitnessUnitOfWork]
    clock: Clock
    ids: IdGenerator
    maker: PlanMaker

    async def __call__(self, owner_id: UUID, *, days: object = 7, start_date: object = None) -> MealPlan:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            profile = await require_profile(uow, owner_id)
            today = await local_today(uow, owner_id, now)
            request = MealRequest.create(today=today, days=days, start_date=start_date)
            energy = await energy_of(uow, owner_id, profile, today)
        made = await self.maker.meals(owner_id, profile, energy, request, now)
        plan = MealPlan(self.ids.new_id(), owner_id, 1, made.draft, made.provenance, now, now)
        async with self.uow(account=owner_id) as uow:
            await uow.meal_plans.add(plan)
            await made.keep(uow, owner_id, now)
            await uow.commit()
        return plan


@dataclass
class GetMealPlan:
    uow: UowFactory[FitnessUnitOfWork]

    async def __call__(self, owner_id: UUID, plan_id: UUID) -> MealPlan:
        async with self.uow(account=owner_id) as uow:
            plan = await uow.meal_plans.get(owner_id, plan_id)
        if plan is None:
            raise MealPlanNotFound()
        return plan


@dataclass
class ListMealPlans:
    """The owner's meal plans, oldest first."""

    uow: UowFactory[FitnessUnitOfWork]

    async def __call__(
        self, owner_id: UUID, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT,
    ) -> Page[MealPlan]:
        check_limit(limit)
        async with self.uow(account=owner_id) as uow:
            rows = await uow.meal_plans.page(owner_id, after=cursor_id(cursor), limit=limit + 1)
        return page_of(rows, limit, lambda plan: (plan.id,))


@dataclass
class DeleteMealPlan:
    uow: UowFactory[FitnessUnitOfWork]

    async def __call__(self, owner_id: UUID, plan_id: UUID) -> None:
        async with self.uow(account=owner_id) as uow:
            if not await uow.meal_plans.remove(owner_id, plan_id):
                raise MealPlanNotFound()
            await uow.commit()


@dataclass
class AdaptMealPlan:
    """Rebuild the plan's days from today on (the account's today) against today's targets, after the energy
    estimate or the profile changed; earlier days stay as they were. MealPlanOver when no day is left."""

    uow: UowFactory[FitnessUnitOfWork]
    clock: Clock
    maker: PlanMaker

    async def __call__(self, owner_id: UUID, plan_id: UUID) -> MealPlan:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            plan = await uow.meal_plans.get(owner_id, plan_id)
            if plan is None:
                raise MealPlanNotFound()
            profile = await require_profile(uow, owner_id)
            today = await local_today(uow, owner_id, now)
            energy = await energy_of(uow, owner_id, profile, today)
        kept = tuple(day for day in plan.draft.days if day.date < today)
        if len(kept) == len(plan.draft.days):
            raise MealPlanOver()
        rest = MealRequest(len(plan.draft.days) - len(kept), plan.draft.days[len(kept)].date)
        made = await self.maker.meals(owner_id, profile, energy, rest, now)
        async with self.uow(account=owner_id) as uow:
            current = await uow.meal_plans.get(owner_id, plan_id, for_update=True)
            if current is None:
                raise MealPlanNotFound()
            rebuilt = current.rebuilt(MealDraft(kept + made.draft.days), made.provenance, now)
            await uow.meal_plans.save(rebuilt)
            await made.keep(uow, owner_id, now)
            await uow.commit()
        return rebuilt
