"""PostgreSQL plan cache (JSONB drafts with an expiry) and LLM meter (one guarded upsert per generation)."""

from datetime import date, datetime
from typing import Any, final
from uuid import UUID

from sqlalchemy import bindparam, delete, literal_column, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.elements import ColumnClause

from adapters.postgres.connection import LazyConnection
from adapters.postgres.fitness.drafts import deleted, draft_json, draft_of
from adapters.postgres.prepared import PreparedWrite
from adapters.postgres.tables.fitness import fitness_llm_usage, fitness_plan_cache
from application.fitness.ports import LlmMeter, PlanCache
from domain.fitness.meals import MealDraft
from domain.fitness.plans import TokenUsage
from domain.fitness.workout import WorkoutDraft


@final
class PostgresPlanCache(PlanCache):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def get(self, owner_id: UUID, key: str, now: datetime) -> WorkoutDraft | MealDraft | None:
        c = fitness_plan_cache.c
        value = await self._conn.scalar(select(c.draft).where(c.owner_id == owner_id, c.key == key, c.expires_at > now))
        return None if value is None else draft_of(value)

    async def put(self, owner_id: UUID, key: str, draft: WorkoutDraft | MealDraft, expires_at: datetime) -> None:
        document = draft_json(draft)
        statement = pg_insert(fitness_plan_cache).values(
            owner_id=owner_id, key=key, kind=document["kind"], draft=document, expires_at=expires_at)
        await self._conn.execute(statement.on_conflict_do_update(
            index_elements=[fitness_plan_cache.c.owner_id, fitness_plan_cache.c.key],
            set_={"kind": statement.excluded.kind, "draft": statement.excluded.draft,
                  "expires_at": statement.excluded.expires_at}))

    async def purge(self, now: datetime) -> int:
        statement = delete(fitness_plan_cache).where(fitness_plan_cache.c.expires_at <= now)
        return deleted(await self._conn.execute(statement))


def _guarded_spend() -> ClauseElement:
    """INSERT … ON CONFLICT DO UPDATE SET plans = plans + 1 … WHERE plans + 1 <= limit RETURNING plans: one atomic
    statement, as API-key metering (adapters/postgres/identity/api_keys.py)."""
    u = fitness_llm_usage
    one: ColumnClause[Any] = literal_column("1")
    zero: ColumnClause[Any] = literal_column("0")
    statement = pg_insert(u).values(owner_id=bindparam("owner_id"), usage_date=bindparam("usage_date"), plans=one,
                                    requests=zero, input_tokens=zero, output_tokens=zero)
    return statement.on_conflict_do_update(
        index_elements=[u.c.owner_id, u.c.usage_date], set_={"plans": u.c.plans + one},
        where=u.c.plans + one <= bindparam("limit"),
    ).returning(u.c.plans)


def _recording() -> ClauseElement:
    u = fitness_llm_usage
    statement = pg_insert(u).values(
        owner_id=bindparam("owner_id"), usage_date=bindparam("usage_date"), plans=literal_column("0"),
        requests=bindparam("requests"),
        input_tokens=bindparam("input_tokens"), output_tokens=bindparam("output_tokens"))
    return statement.on_conflict_do_update(index_elements=[u.c.owner_id, u.c.usage_date], set_={
        "requests": u.c.requests + statement.excluded.requests,
        "input_tokens": u.c.input_tokens + statement.excluded.input_tokens,
        "output_tokens": u.c.output_tokens + statement.excluded.output_tokens,
    })


_SPEND = PreparedWrite(_guarded_spend())  # built once: composing an upsert costs more than running it
_RECORD = PreparedWrite(_recording())


@final
class PostgresLlmMeter(LlmMeter):
    def __init__(self, conn: LazyConnection) -> None:
        self._conn = conn

    async def spend(self, owner_id: UUID, day: date, limit: int) -> bool:
        if limit < 1:
            return False
        return await _SPEND.one(self._conn, owner_id=owner_id, usage_date=day, limit=limit) is not None

    async def record(self, owner_id: UUID, day: date, usage: TokenUsage) -> None:
        await _RECORD.run(self._conn, owner_id=owner_id, usage_date=day, requests=usage.requests,
                          input_tokens=usage.input_tokens, output_tokens=usage.output_tokens)

    async def day(self, owner_id: UUID, day: date) -> tuple[int, TokenUsage]:
        u = fitness_llm_usage.c
        row = (await self._conn.execute(select(u.plans, u.requests, u.input_tokens, u.output_tokens).where(
            u.owner_id == owner_id, u.usage_date == day))).first()
        return (0, TokenUsage(0, 0, 0)) if row is None else (row[0], TokenUsage(row[1], row[2], row[3]))
