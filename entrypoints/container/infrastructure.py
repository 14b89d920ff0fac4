"""What every context shares: settings, clock, ids, the storage (engine, unit of work), the rate limiter and the
quota meter."""

import asyncio
import operator

from dependency_injector import containers, providers

from adapters.clock import SystemClock
from adapters.ids import Uuid7Generator
from adapters.memory.quota_meter import MemoryQuotaMeter
from adapters.memory.rate_limiter import MemoryRateLimiter
from adapters.memory.store import MemoryStore
from adapters.memory.unit_of_work import MemoryUnitOfWork
from adapters.postgres.database import create_engine
from adapters.postgres.identity.api_keys import PostgresQuotaMeter
from adapters.postgres.rate_limiter import PostgresRateLimiter
from adapters.postgres.readiness import PostgresReadiness, always_ready
from adapters.postgres.unit_of_work import PostgresUnitOfWork
from adapters.randomness import SystemRandomSource
from entrypoints.event_handlers import event_handlers
from entrypoints.settings import Settings, trusted_networks


class Infrastructure(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    config = providers.Configuration()

    clock = providers.Singleton(SystemClock)
    ids = providers.Singleton(Uuid7Generator)
    random = providers.Singleton(SystemRandomSource)
    trusted_proxies = providers.Singleton(trusted_networks, config.trusted_proxies)
    engine = providers.Singleton(
        create_engine, url=config.database_url, pool_size=config.db_pool_size,
        max_overflow=config.db_max_overflow, connect_timeout=config.db_connect_timeout_seconds,
    )
    connection_gate = providers.Singleton(
        asyncio.Semaphore, providers.Callable(operator.add, config.db_pool_size, config.db_max_overflow))
    memory_store = providers.Singleton(MemoryStore)
    # Cross-context reactions (AccountOpened → default categories), run by every unit of work before it commits.
    handlers = providers.Singleton(event_handlers, ids=ids)
    # A unit of work per use case call (a Factory, never shared): use cases get `uow.provider` and open it inside.
    uow = providers.Selector(
        config.storage,
        postgres=providers.Factory(PostgresUnitOfWork, engine=engine, gate=connection_gate, handlers=handlers),
        memory=providers.Factory(MemoryUnitOfWork, store=memory_store, handlers=handlers),
    )
    readiness = providers.Selector(
        config.storage,
        postgres=providers.Singleton(PostgresReadiness, engine=engine),
        memory=providers.Object(always_ready),
    )
    quota_meter = providers.Selector(
        config.storage,
        postgres=providers.Singleton(PostgresQuotaMeter, engine=engine, gate=connection_gate),
        memory=providers.Singleton(MemoryQuotaMeter, store=memory_store),
    )
    rate_limiter = providers.Selector(
        config.storage,
        postgres=providers.Singleton(PostgresRateLimiter, engine=engine),
        memory=providers.Singleton(MemoryRateLimiter),
    )
