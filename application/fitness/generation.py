"""Making a draft: from the owner's cache, else from the configured generator within the LLM's daily allowance,
else from the rules; every draft passes the domain's validation before anyone keeps it."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic
from uuid import UUID

from application.fitness.ports import D, Drafted, FitnessUnitOfWork, GenerationFailed, PlanGenerator
from application.shared.clock import Clock
from application.shared.unit_of_work import Purpose, UowFactory
from domain.fitness.cache_key import meal_key, workout_key
from domain.fitness.catalogue import Catalogue
from domain.fitness.energy import Energy
from domain.fitness.errors import PlanInfeasible, Violation
from domain.fitness.meals import MealDraft, MealRequest, validate_meal_draft
from domain.fitness.plans import Generator, Provenance, TokenUsage
from domain.fitness.profile import Profile
from domain.fitness.workout import WorkoutDraft, WorkoutRequest
from domain.fitness.workout_validation import validate_workout_draft

CACHE_TTL = timedelta(days=7)
REASON_MAX = 300


@dataclass(frozen=True, slots=True)
class Made(Generic[D]):
    """A valid draft, how it was made, and what to keep of its making in the transaction that saves it."""

    draft: D
    provenance: Provenance
    cache_key: str | None  # where to cache it (None: it came from the cache)

    async def keep(self, uow: FitnessUnitOfWork, owner_id: UUID, now: datetime) -> None:
        """Cache the draft and add the LLM's usage to the owner's day, inside the caller's unit of work."""
        if self.cache_key is not None:
            await uow.plan_cache.put(owner_id, self.cache_key, self.draft, now + CACHE_TTL)
        if self.provenance.usage is not None:
            await uow.llm_usage.record(owner_id, now.date(), self.provenance.usage)


@dataclass
class PlanMaker:
    """Drafts through the cache and the generators. `generator` is the configured one (rules or llm), `rules`
    the rules generator; an LLM generation is attempted at most `llm_daily_plans` times per owner and UTC day,
    and when it fails, times out or breaks a rule, or the allowance is spent, the rules answer with the reason."""

    uow: UowFactory[FitnessUnitOfWork]
    generator: PlanGenerator
    rules: PlanGenerator
    catalogue: Catalogue
    llm_daily_plans: int

    async def workout(
        self, owner_id: UUID, profile: Profile, request: WorkoutRequest, now: datetime,
    ) -> Made[WorkoutDraft]:
        def key(generator: PlanGenerator) -> str:
            return workout_key(profile, request, generator=generator.name, version=generator.version("workout"),
                               catalogue=self.catalogue)

        def broken(draft: WorkoutDraft) -> list[Violation]:
            return validate_workout_draft(draft, profile, self.catalogue)

        return await self._make(owner_id, WorkoutDraft, key, lambda g: g.workout(profile, request, self.catalogue),
                                broken, now)

    async def meals(
        self, owner_id: UUID, profile: Profile, energy: Energy, request: MealRequest, now: datetime,
    ) -> Made[MealDraft]:
        def key(generator: PlanGenerator) -> str:
            return meal_key(profile, energy, request, generator=generator.name, version=generator.version("meals"),
                            catalogue=self.catalogue)

        def broken(draft: MealDraft) -> list[Violation]:
            wanted = request.dates()
            if [day.date for day in draft.days] != wanted:
                return [Violation("date", f"the plan must cover {wanted[0]} to {wanted[-1]}")]
            return validate_meal_draft(draft, profile, energy, self.catalogue)

        return await self._make(owner_id, MealDraft, key,
                                lambda g: g.meals(profile, energy, request, self.catalogue), broken, now)

    async def _make(
        self, owner_id: UUID, kind: type[D], key: Callable[[PlanGenerator], str],
        generate: Callable[[PlanGenerator], Awaitable[Drafted[D]]], broken: Callable[[D], list[Violation]],
        now: datetime,
    ) -> Made[D]:
        primary = self.generator
        cached = await self._cached(owner_id, kind, key(primary), broken, now)
        if cached is not None:
            return Made(cached, Provenance(Generator(primary.name)), None)
        fallback = None
        if primary.name != Generator.RULES:
            outcome = await self._llm(owner_id, generate, broken, now)
            if isinstance(outcome, Drafted):
                return Made(outcome.draft, Provenance(Generator.LLM, None, outcome.usage), key(primary))
            fallback = outcome
            cached = await self._cached(owner_id, kind, key(self.rules), broken, now)
        provenance = Provenance(Generator.RULES) if fallback is None else Provenance(
            Generator.RULES, fallback.reason, fallback.usage)
        if cached is not None:
            return Made(cached, provenance, None)
        try:
            draft = (await generate(self.rules)).draft
        except GenerationFailed as failure:  # the rules generator never fails; if it did, a 422 says so
            raise PlanInfeasible("profile", failure.reason) from None
        violations = broken(draft)
        if violations:  # never a wrong plan
            raise PlanInfeasible("profile", "no plan keeping every rule was found: " + _listed(violations))
        return Made(draft, provenance, key(self.rules))

    async def _llm(
        self, owner_id: UUID, generate: Callable[[PlanGenerator], Awaitable[Drafted[D]]],
        broken: Callable[[D], list[Violation]], now: datetime,
    ) -> "Drafted[D] | _Fallback":
        """The LLM's valid draft, or why the rules must answer (and what the attempt cost)."""
        async with self.uow(account=owner_id) as uow:
            allowed = await uow.llm_usage.spend(owner_id, now.date(), self.llm_daily_plans)
            await uow.commit()
        if not allowed:
            return _Fallback(
                f"the daily allowance of {self.llm_daily_plans} LLM plans is spent; it renews at 00:00 UTC")
        try:
            drafted = await generate(self.generator)
        except GenerationFailed as failure:
            return _Fallback(_short(failure.reason), failure.usage)
        violations = broken(drafted.draft)
        if violations:
            return _Fallback(_short("the model's draft broke the rules: " + _listed(violations)), drafted.usage)
        return drafted

    async def _cached(
        self, owner_id: UUID, kind: type[D], key: str, broken: Callable[[D], list[Violation]], now: datetime,
    ) -> D | None:
        async with self.uow(account=owner_id) as uow:
            cached = await uow.plan_cache.get(owner_id, key, now)
        if isinstance(cached, kind) and not broken(cached):
            return cached
        return None


@dataclass(frozen=True, slots=True)
class _Fallback:
    reason: str
    usage: TokenUsage | None = None


def _listed(violations: Sequence[Violation]) -> str:
    return "; ".join(str(violation) for violation in violations[:3])


def _short(text: str) -> str:
    return text if len(text) <= REASON_MAX else text[:REASON_MAX - 1] + "…"


@dataclass
class PurgePlanCache:
    """Delete every owner's expired cached drafts (a periodic job); return how many went."""

    uow: UowFactory[FitnessUnitOfWork]
    clock: Clock

    async def __call__(self) -> int:
        async with self.uow(purpose=Purpose.PURGE) as uow:
            removed = await uow.plan_cache.purge(self.clock.now())
            await uow.commit()
        return removed
