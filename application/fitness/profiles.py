"""The fitness profile and its energy targets, weigh-ins and daily intake."""

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from application.fitness.ports import FitnessUnitOfWork
from application.identity.locale import account_locale
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.pages import DEFAULT_LIMIT, Page, check_limit, decode_cursor, page_of
from application.shared.unit_of_work import UowFactory
from domain.fitness.catalogue import Catalogue
from domain.fitness.energy import Energy, current_energy
from domain.fitness.expenditure import HISTORY_DAYS, IntakeEntry, WeightEntry
from domain.fitness.plans import (
    FitnessProfile, FitnessProfileMissing, FitnessProfileNotFound, IntakeRecord, WeightRecord,
)
from domain.fitness.profile import Profile
from domain.shared.locale import zone


async def local_today(uow: FitnessUnitOfWork, owner_id: UUID, now: datetime) -> date:
    """The date it is at `now` in the account's time zone."""
    locale = await account_locale(uow.accounts, owner_id)
    return now.astimezone(zone(locale.time_zone)).date()


async def require_profile(uow: FitnessUnitOfWork, owner_id: UUID) -> Profile:
    """The owner's profile; FitnessProfileMissing (409) when there is none yet."""
    found = await uow.fitness_profiles.get(owner_id)
    if found is None:
        raise FitnessProfileMissing()
    return found.profile


async def energy_of(uow: FitnessUnitOfWork, owner_id: UUID, profile: Profile, today: date) -> Energy:
    """Today's targets: adaptive when the owner's logged year of weights and intake has enough data (two
    bounded reads, each at most a year of days)."""
    weights = await uow.weight_entries.recent(owner_id, HISTORY_DAYS)
    intakes = await uow.intake_logs.recent(owner_id, HISTORY_DAYS)
    return current_energy(profile, today, weights, intakes)


@dataclass(frozen=True, slots=True)
class ProfileView:
    profile: FitnessProfile
    energy: Energy


@dataclass
class PutFitnessProfile:
    """Set the owner's profile (every field; InvalidValue names the first bad one) and record `weight_kg` as
    today's weigh-in; answer it with today's energy targets."""

    uow: UowFactory[FitnessUnitOfWork]
    clock: Clock
    ids: IdGenerator
    catalogue: Catalogue

    async def __call__(
        self, owner_id: UUID, *, sex: object, birth_date: object, height_cm: object, weight_kg: object,
        activity_level: object, goal: object, weekly_rate_kg: object = None, experience: object,
        equipment: object = (), training_days_per_week: object, session_minutes: object, diet: object,
        excluded_foods: object = (), meals_per_day: object,
    ) -> ProfileView:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            today = await local_today(uow, owner_id, now)
            profile = Profile.create(
                today=today, food_ids=self.catalogue.food_ids(), sex=sex, birth_date=birth_date, height_cm=height_cm,
                weight_kg=weight_kg, activity_level=activity_level, goal=goal, weekly_rate_kg=weekly_rate_kg,
                experience=experience, equipment=equipment, training_days_per_week=training_days_per_week,
                session_minutes=session_minutes, diet=diet, excluded_foods=excluded_foods, meals_per_day=meals_per_day,
            )
            stored = await uow.fitness_profiles.put(FitnessProfile(owner_id, profile, now, now))
            weight = WeightEntry(today, profile.weight_kg)
            await uow.weight_entries.put(WeightRecord(self.ids.new_id(), owner_id, weight, now, now))
            energy = await energy_of(uow, owner_id, profile, today)
            await uow.commit()
        return ProfileView(stored, energy)


@dataclass
class GetFitnessProfile:
    """The owner's profile and today's energy targets; FitnessProfileNotFound when there is none."""

    uow: UowFactory[FitnessUnitOfWork]
    clock: Clock

    async def __call__(self, owner_id: UUID) -> ProfileView:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            stored = await uow.fitness_profiles.get(owner_id)
            if stored is None:
                raise FitnessProfileNotFound()
            today = await local_today(uow, owner_id, now)
            energy = await energy_of(uow, owner_id, stored.profile, today)
        return ProfileView(stored, energy)


@dataclass
class RecordWeight:
    """Record the day's weigh-in (a day up to today in the account's time zone); one a day: a second replaces the
    first's weight and keeps its id."""

    uow: UowFactory[FitnessUnitOfWork]
    clock: Clock
    ids: IdGenerator

    async def __call__(self, owner_id: UUID, *, day: object, weight_kg: object) -> WeightRecord:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            entry = WeightEntry.create(today=await local_today(uow, owner_id, now), day=day, weight_kg=weight_kg)
            stored = await uow.weight_entries.put(WeightRecord(self.ids.new_id(), owner_id, entry, now, now))
            await uow.commit()
        return stored


@dataclass
class RecordIntake:
    """Record the day's intake (kcal, and protein when known); one a day, as RecordWeight."""

    uow: UowFactory[FitnessUnitOfWork]
    clock: Clock
    ids: IdGenerator

    async def __call__(self, owner_id: UUID, *, day: object, kcal: object, protein_g: object = None) -> IntakeRecord:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            today = await local_today(uow, owner_id, now)
            entry = IntakeEntry.create(today=today, day=day, kcal=kcal, protein_g=protein_g)
            stored = await uow.intake_logs.put(IntakeRecord(self.ids.new_id(), owner_id, entry, now, now))
            await uow.commit()
        return stored


def _day(value: str) -> date:
    return date.fromisoformat(value)


@dataclass
class ListWeights:
    """The owner's weigh-ins, newest day first."""

    uow: UowFactory[FitnessUnitOfWork]

    async def __call__(
        self, owner_id: UUID, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT,
    ) -> Page[WeightRecord]:
        check_limit(limit)
        before = None if cursor is None else decode_cursor(cursor, _day)
        async with self.uow(account=owner_id) as uow:
            rows = await uow.weight_entries.page(owner_id, before=before, limit=limit + 1)
        return page_of(rows, limit, lambda record: (record.entry.day,))


@dataclass
class ListIntakes:
    """The owner's intake logs, newest day first."""

    uow: UowFactory[FitnessUnitOfWork]

    async def __call__(
        self, owner_id: UUID, *, cursor: str | None = None, limit: int = DEFAULT_LIMIT,
    ) -> Page[IntakeRecord]:
        check_limit(limit)
        before = None if cursor is None else decode_cursor(cursor, _day)
        async with self.uow(account=owner_id) as uow:
            rows = await uow.intake_logs.page(owner_id, before=before, limit=limit + 1)
        return page_of(rows, limit, lambda record: (record.entry.day,))
