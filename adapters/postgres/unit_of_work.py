"""The PostgreSQL unit of work: one connection and one transaction per use case."""

import asyncio
from types import TracebackType
from collections.abc import Callable
from typing import Generic, Self, TypeVar, cast, final, overload
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.postgres.identity.api_keys import PostgresApiKeyRepository, PostgresUsageRepository
from adapters.postgres.calendar.events import PostgresEventRepository
from adapters.postgres.calendar.feed import PostgresCalendarFeedRepository
from adapters.postgres.calendar.inbox import PostgresNotificationRepository
from adapters.postgres.calendar.notes import PostgresNoteRepository
from adapters.postgres.calendar.reminders import PostgresReminderRepository
from adapters.postgres.calendar.webhooks import PostgresCalendarWebhookRepository
from adapters.postgres.connection import LazyConnection, Scope, take_turn
from adapters.postgres.database import is_unavailable
from adapters.postgres.fitness.plans import (
    PostgresMealPlanRepository, PostgresWorkoutPlanRepository, PostgresWorkoutSessionRepository,
)
from adapters.postgres.fitness.records import (
    PostgresFitnessProfileRepository, PostgresIntakeLogRepository, PostgresWeightEntryRepository,
)
from adapters.postgres.fitness.usage import PostgresLlmMeter, PostgresPlanCache
from adapters.postgres.delivery.metrics import PostgresMetricsQuery
from adapters.postgres.delivery.records import PostgresRecordRepository
from adapters.postgres.delivery.sources import PostgresSourceRepository
from adapters.postgres.delivery.states import PostgresResourceStateRepository
from adapters.postgres.delivery.syncs import PostgresSyncRepository
from adapters.postgres.identity.accounts import (
    PostgresAccountRepository, PostgresRefreshTokenRepository, PostgresSessionRepository,
)
from adapters.postgres.imaging import PostgresGenerationRepository, PostgresIdempotencyRepository
from adapters.postgres.ledger import PostgresBudgetRepository, PostgresCategoryRepository, PostgresExpenseRepository
from application.calendar.ports import CalendarUnitOfWork
from application.delivery.ports import DeliveryUnitOfWork
from application.fitness.ports import FitnessUnitOfWork
from application.identity.ports import ApiKeyUnitOfWork, IdentityUnitOfWork
from application.imaging.ports import ImagingUnitOfWork
from application.ledger.ports import LedgerUnitOfWork
from application.shared.errors import StorageUnavailable
from application.shared.events import EventHandlers
from application.shared.unit_of_work import Purpose
from domain.shared.events import DomainEvent

R = TypeVar("R")


class _Repository(Generic[R]):
    """A unit of work's repository, made on its connection at its first use in each `async with` (a unit of work
    uses two or three of its thirty)."""

    def __init__(self, make: Callable[[LazyConnection], R]) -> None:
        self._make = make
        self._name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, uow: None, owner: type) -> Self: ...

    @overload
    def __get__(self, uow: "PostgresUnitOfWork", owner: type) -> R: ...

    def __get__(self, uow: "PostgresUnitOfWork | None", owner: type) -> Self | R:
        if uow is None:
            return self
        made = cast(R | None, uow._repositories.get(self._name))
        if made is None:
            made = self._make(uow._connection())
            uow._repositories[self._name] = made
        return made

    def __set__(self, uow: "PostgresUnitOfWork", repository: R) -> None:
        uow._repositories[self._name] = repository


@final
class PostgresUnitOfWork(
    IdentityUnitOfWork, ApiKeyUnitOfWork, CalendarUnitOfWork, LedgerUnitOfWork, ImagingUnitOfWork,
    FitnessUnitOfWork, DeliveryUnitOfWork,
):
    """Rolls back unless committed; runs event handlers at commit; database outages surface as StorageUnavailable. The connection is checked out
    at the first statement (`LazyConnection`). Every statement acts for `account` and/or `purpose`: row-level
    security shows it nothing else (docs/decisions.md).

    With a `gate` (a semaphore as large as the pool), units of work wait for a connection in arrival order:
    SQLAlchemy's pool queue lets a newcomer take a returned connection before a woken waiter, which under
    load starved some requests past the pool timeout (503s in `make bench` at 64 connections).
    """

    def __init__(
        self, engine: AsyncEngine, gate: asyncio.Semaphore | None = None,
        handlers: "EventHandlers[PostgresUnitOfWork] | None" = None,
        *, account: UUID | None = None, purpose: Purpose | None = None,
    ) -> None:
        self._engine = engine
        self._scope = Scope(account, purpose)
        self._gate = gate
        self._handlers = handlers or EventHandlers()
        self._events: list[DomainEvent] = []
        self._conn: LazyConnection | None = None
        self._repositories: dict[str, object] = {}
        self._holding = False

    async def __aenter__(self) -> Self:
        if self._gate is not None:
            await take_turn(self._gate, self._engine)
            self._holding = True
        self._conn = LazyConnection(self._engine, self._scope)  # checked out at its first use
        self._events = []
        self._repositories = {}
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._close()
        if exc is not None and is_unavailable(exc):
            raise StorageUnavailable("the database is unavailable") from exc

    accounts = _Repository(PostgresAccountRepository)
    refresh_tokens = _Repository(PostgresRefreshTokenRepository)
    sessions = _Repository(PostgresSessionRepository)
    categories = _Repository(PostgresCategoryRepository)
    expenses = _Repository(PostgresExpenseRepository)
    budgets = _Repository(PostgresBudgetRepository)
    events = _Repository(PostgresEventRepository)
    reminders = _Repository(PostgresReminderRepository)
    notes = _Repository(PostgresNoteRepository)
    notifications = _Repository(PostgresNotificationRepository)
    calendar_feeds = _Repository(PostgresCalendarFeedRepository)
    calendar_webhooks = _Repository(PostgresCalendarWebhookRepository)
    api_keys = _Repository(PostgresApiKeyRepository)
    usage = _Repository(PostgresUsageRepository)
    generations = _Repository(PostgresGenerationRepository)
    image_idempotency_keys = _Repository(PostgresIdempotencyRepository)
    fitness_profiles = _Repository(PostgresFitnessProfileRepository)
    weight_entries = _Repository(PostgresWeightEntryRepository)
    intake_logs = _Repository(PostgresIntakeLogRepository)
    workout_plans = _Repository(PostgresWorkoutPlanRepository)
    workout_sessions = _Repository(PostgresWorkoutSessionRepository)
    meal_plans = _Repository(PostgresMealPlanRepository)
    plan_cache = _Repository(PostgresPlanCache)
    llm_usage = _Repository(PostgresLlmMeter)
    delivery_sources = _Repository(PostgresSourceRepository)
    delivery_syncs = _Repository(PostgresSyncRepository)
    delivery_states = _Repository(PostgresResourceStateRepository)
    delivery_records = _Repository(PostgresRecordRepository)
    delivery_metrics = _Repository(PostgresMetricsQuery)

    def _connection(self) -> LazyConnection:
        assert self._conn is not None, "a repository outside 'async with'"
        return self._conn

    def publish(self, event: DomainEvent) -> None:
        self._events.append(event)

    async def commit(self) -> None:
        assert self._conn is not None, "commit() outside 'async with'"
        await self._handlers.handle(self, self._events)
        await self._conn.commit()

    async def _close(self) -> None:
        conn, self._conn = self._conn, None
        try:
            if conn is not None:
                await conn.close()
        finally:
            if self._holding and self._gate is not None:
                self._holding = False
                self._gate.release()

