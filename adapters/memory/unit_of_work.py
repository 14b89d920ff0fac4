"""The in-memory unit of work: serializable transactions over a MemoryStore."""

from types import TracebackType
from typing import Self, final
from uuid import UUID

from adapters.memory.identity.api_keys import MemoryApiKeyRepository, MemoryUsageRepository
from adapters.memory.calendar import (
    MemoryCalendarFeedRepository, MemoryCalendarWebhookRepository, MemoryEventRepository, MemoryNoteRepository,
    MemoryNotificationRepository, MemoryReminderRepository,
)
from adapters.memory.identity.accounts import (
    MemoryAccountRepository, MemoryRefreshTokenRepository, MemorySessionRepository,
)
from adapters.memory.fitness import (
    MemoryFitnessProfileRepository, MemoryIntakeLogRepository, MemoryLlmMeter, MemoryMealPlanRepository,
    MemoryPlanCache, MemoryWeightEntryRepository, MemoryWorkoutPlanRepository, MemoryWorkoutSessionRepository,
)
from adapters.memory.delivery import (
    MemoryMetricsQuery, MemoryRecordRepository, MemoryResourceStateRepository, MemorySourceRepository,
    MemorySyncRepository,
)
from adapters.memory.ledger import MemoryBudgetRepository, MemoryCategoryRepository, MemoryExpenseRepository
from adapters.memory.imaging import MemoryGenerationRepository, MemoryIdempotencyRepository
from adapters.memory.store import MemoryStore, MemoryTransaction
from application.calendar.ports import CalendarUnitOfWork
from application.delivery.ports import DeliveryUnitOfWork
from application.fitness.ports import FitnessUnitOfWork
from application.identity.ports import ApiKeyUnitOfWork, IdentityUnitOfWork
from application.imaging.ports import ImagingUnitOfWork
from application.ledger.ports import LedgerUnitOfWork
from application.shared.events import EventHandlers
from application.shared.unit_of_work import Purpose
from domain.shared.events import DomainEvent


@final
class MemoryUnitOfWork(
    IdentityUnitOfWork, ApiKeyUnitOfWork, CalendarUnitOfWork, LedgerUnitOfWork, ImagingUnitOfWork,
    FitnessUnitOfWork, DeliveryUnitOfWork,
):
    """Holds the store's lock from enter to exit; rolls back unless committed; runs event handlers at commit."""

    def __init__(
        self, store: MemoryStore, handlers: "EventHandlers[MemoryUnitOfWork] | None" = None,
        *, account: UUID | None = None, purpose: Purpose | None = None,
    ) -> None:
        """`account` and `purpose` are PostgreSQL's row-level security's: here the repositories alone isolate owners."""
        self._store = store
        self._handlers = handlers or EventHandlers()
        self._events: list[DomainEvent] = []

    async def __aenter__(self) -> Self:
        await self._store.lock.acquire()
        tx = self._tx = MemoryTransaction(self._store)
        self._events = []
        self.accounts = MemoryAccountRepository(tx)
        self.refresh_tokens = MemoryRefreshTokenRepository(tx)
        self.sessions = MemorySessionRepository(tx)
        self.events = MemoryEventRepository(tx)
        self.reminders = MemoryReminderRepository(tx)
        self.notes = MemoryNoteRepository(tx)
        self.notifications = MemoryNotificationRepository(tx)
        self.calendar_feeds = MemoryCalendarFeedRepository(tx)
        self.calendar_webhooks = MemoryCalendarWebhookRepository(tx)
        self.categories = MemoryCategoryRepository(tx)
        self.expenses = MemoryExpenseRepository(tx)
        self.budgets = MemoryBudgetRepository(tx)
        self.api_keys = MemoryApiKeyRepository(tx)
        self.usage = MemoryUsageRepository(tx)
        self.generations = MemoryGenerationRepository(tx)
        self.image_idempotency_keys = MemoryIdempotencyRepository(tx)
        self.fitness_profiles = MemoryFitnessProfileRepository(tx)
        self.weight_entries = MemoryWeightEntryRepository(tx)
        self.intake_logs = MemoryIntakeLogRepository(tx)
        self.workout_plans = MemoryWorkoutPlanRepository(tx)
        self.workout_sessions = MemoryWorkoutSessionRepository(tx)
        self.meal_plans = MemoryMealPlanRepository(tx)
        self.plan_cache = MemoryPlanCache(tx)
        self.llm_usage = MemoryLlmMeter(tx)
        self.delivery_sources = MemorySourceRepository(tx)
        self.delivery_syncs = MemorySyncRepository(tx)
        self.delivery_states = MemoryResourceStateRepository(tx)
        self.delivery_records = MemoryRecordRepository(tx)
        self.delivery_metrics = MemoryMetricsQuery(tx)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            self._tx.rollback()
        finally:
            self._store.lock.release()

    def publish(self, event: DomainEvent) -> None:
        self._events.append(event)

    async def commit(self) -> None:
        await self._handlers.handle(self, self._events)
        self._tx.commit()
