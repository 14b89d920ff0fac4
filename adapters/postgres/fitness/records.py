"""PostgreSQL fitness profiles, weigh-ins and intake logs: one row a day, replaced by an upsert that keeps its id."""

from datetime import date
from typing import Any, final
from uuid import UUID

from sqlalchemy import Table, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from adapters.postgres.connection import LazyConnection
from adapters.postgres.prepared import columns
from adapters.postgres.tables.fitness import fitness_profiles, intake_logs, weight_entries
from application.fitness.ports import FitnessProfileRepository, IntakeLogRepository, WeightEntryRepository
from domain.fitness.catalogue import Equipment
from domain.fitness.diet import Diet
from domain.fitness.expenditure import IntakeEntry, WeightEntry
from domain.fitness.plans import FitnessProfile, IntakeRecord, WeightRecord
from domain.fitness.profile import ActivityLevel, Experience, Goal, Profile, Sex

_PROFILE_FIELDS = tuple(Profile.__slots__)


def _profile(row: Any) -> FitnessProfile:
    values = columns(row)
    profile = Profile(
        sex=Sex(values["sex"]), birth_date=values["birth_date"], height_cm=values["height_cm"],
        weight_kg=values["weight_kg"], activity_level=ActivityLevel(values["activity_level"]),
        goal=Goal(values["goal"]), weekly_rate_kg=values["weekly_rate_kg"], experience=Experience(values["experience"]),
        equipment=tuple(Equipment(name) for name in values["equipment"]),
        training_days_per_week=values["training_days_per_week"], session_minutes=values["session_minutes"],
        diet=Diet(values["diet"]), excluded_foods=tuple(values["excluded_foods"]),
        meals_per_day=values["meals_per_day"],
    )
    return FitnessProfile(values["owner_id"], profile, values["created_at"], values["updated_at"])


def _profile_values(stored: FitnessProfile) -> dict[str, Any]:
    profile = stored.profile
    values: dict[str, Any] = {name: getattr(profile, name) for name in _PROFILE_FIELDS}
    values |= {"equipment": [str(name) for name in profile.equipment], "excluded_foods": list(profile.excluded_foods)}
    for name in ("sex", "activity_level", "goal", "experience", "diet"):
        values[name] = str(values[name])
    return values | {"owner_id": stored.owner_id, "created_at": stored.created_at, "updated_at": stored.updated_at}


@final
class PostgresFitnessProfileRepository(FitnessProfileRepository):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def get(self, owner_id: UUID) -> FitnessProfile | None:
        row = (await self._conn.execute(
            select(fitness_profiles).where(fitness_profiles.c.owner_id == owner_id))).first()
        return None if row is None else _profile(row)

    async def put(self, profile: FitnessProfile) -> FitnessProfile:
        statement = pg_insert(fitness_profiles).values(_profile_values(profile))
        kept = {name: statement.excluded[name] for name in _profile_values(profile) if name not in (
            "owner_id", "created_at")}
        statement = statement.on_conflict_do_update(index_elements=[fitness_profiles.c.owner_id], set_=kept)
        return _profile((await self._conn.execute(statement.returning(*fitness_profiles.c))).one())


class _Daily:
    """One row per owner and day in `table`, whose measured columns are `measures`."""

    table: Table
    measures: tuple[str, ...]

    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def _put(self, values: dict[str, Any]) -> Any:
        statement = pg_insert(self.table).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[self.table.c.owner_id, self.table.c.day],
            set_={name: statement.excluded[name] for name in (*self.measures, "updated_at")})
        return (await self._conn.execute(statement.returning(*self.table.c))).one()

    async def _page(self, owner_id: UUID, before: date | None, limit: int) -> list[Any]:
        statement = (select(self.table).where(self.table.c.owner_id == owner_id)
                     .order_by(self.table.c.day.desc()).limit(limit))
        if before is not None:
            statement = statement.where(self.table.c.day < before)
        return list(await self._conn.execute(statement))

    async def _recent(self, owner_id: UUID, days: int) -> list[Any]:
        c = self.table.c
        last = select(func.max(c.day)).where(c.owner_id == owner_id).scalar_subquery()
        statement = select(self.table).where(c.owner_id == owner_id, c.day > last - days).order_by(c.day)
        return list(await self._conn.execute(statement))


def _weight(row: Any) -> WeightRecord:
    values = columns(row)
    return WeightRecord(values["id"], values["owner_id"], WeightEntry(values["day"], values["weight_kg"]),
                        values["created_at"], values["updated_at"])


def _intake(row: Any) -> IntakeRecord:
    values = columns(row)
    entry = IntakeEntry(values["day"], values["kcal"], values["protein_g"])
    return IntakeRecord(values["id"], values["owner_id"], entry, values["created_at"], values["updated_at"])


def _record_values(record: WeightRecord | IntakeRecord) -> dict[str, Any]:
    return {"id": record.id, "owner_id": record.owner_id, "day": record.entry.day,
            "created_at": record.created_at, "updated_at": record.updated_at}


@final
class PostgresWeightEntryRepository(_Daily, WeightEntryRepository):
    table, measures = weight_entries, ("weight_kg",)

    async def put(self, record: WeightRecord) -> WeightRecord:
        return _weight(await self._put(_record_values(record) | {"weight_kg": record.entry.weight_kg}))

    async def page(self, owner_id: UUID, *, before: date | None, limit: int) -> list[WeightRecord]:
        return [_weight(row) for row in await self._page(owner_id, before, limit)]

    async def recent(self, owner_id: UUID, days: int) -> list[WeightEntry]:
        return [_weight(row).entry for row in await self._recent(owner_id, days)]


@final
class PostgresIntakeLogRepository(_Daily, IntakeLogRepository):
    table, measures = intake_logs, ("kcal", "protein_g")

    async def put(self, record: IntakeRecord) -> IntakeRecord:
        measured = {"kcal": record.entry.kcal, "protein_g": record.entry.protein_g}
        return _intake(await self._put(_record_values(record) | measured))

    async def page(self, owner_id: UUID, *, before: date | None, limit: int) -> list[IntakeRecord]:
        return [_intake(row) for row in await self._page(owner_id, before, limit)]

    async def recent(self, owner_id: UUID, days: int) -> list[IntakeEntry]:
        return [_intake(row).entry for row in await self._recent(owner_id, days)]
