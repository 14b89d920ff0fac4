"""The delivery context: sources, syncs (the token cipher, the providers, the per-source lock) and the metrics."""

import asyncio
from datetime import timedelta

from dependency_injector import containers, providers
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.delivery.connector import ProviderConnector
from adapters.delivery.tokens import AesGcmTokenCipher
from adapters.memory.delivery import MemorySourceLocks
from adapters.postgres.delivery.locks import PostgresSourceLocks
from application.delivery.ports import DeliveryUnitOfWork
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.delivery.metrics import GetMetrics, ListChanges, ListDeployments, ListIncidents
from application.delivery.sources import CreateSource, DeleteSource, GetSource, ListSources, UpdateSource
from application.delivery.syncs import GetSync, LatestSyncs, QueueDueSyncs, RequestSync, RunSyncs
from entrypoints.settings import Settings, revealed


def _minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


class Delivery(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    config = providers.Configuration()
    uow: providers.Dependency[DeliveryUnitOfWork] = providers.Dependency()  # use cases get `uow.provider`
    clock: providers.Dependency[Clock] = providers.Dependency()
    ids: providers.Dependency[IdGenerator] = providers.Dependency()
    engine: providers.Dependency[AsyncEngine] = providers.Dependency()
    connection_gate: providers.Dependency[asyncio.Semaphore] = providers.Dependency()

    git_roots = providers.Singleton(lambda settings: settings.resolved_git_roots(), settings)
    cipher = providers.Singleton(
        AesGcmTokenCipher, secret=providers.Singleton(lambda settings: settings.resolved_secret_key(), settings))
    connector = providers.Singleton(
        ProviderConnector, git_roots=git_roots, clock=clock,
        github_token=providers.Callable(revealed, config.github_token),
        linear_api_key=providers.Callable(revealed, config.linear_api_key),
        github_url=config.github_api_url, linear_url=config.linear_api_url,
    )
    locks = providers.Selector(
        config.storage,
        postgres=providers.Singleton(PostgresSourceLocks, engine=engine, gate=connection_gate),
        memory=providers.Singleton(MemorySourceLocks),
    )

    create_source = providers.Factory(
        CreateSource, uow=uow.provider, clock=clock, ids=ids, cipher=cipher, git_roots=git_roots)
    get_source = providers.Factory(GetSource, uow=uow.provider)
    list_sources = providers.Factory(ListSources, uow=uow.provider)
    update_source = providers.Factory(UpdateSource, uow=uow.provider, clock=clock, cipher=cipher, git_roots=git_roots)
    delete_source = providers.Factory(DeleteSource, uow=uow.provider)
    request_sync = providers.Factory(RequestSync, uow=uow.provider, clock=clock, ids=ids)
    get_sync = providers.Factory(GetSync, uow=uow.provider)
    latest_syncs = providers.Factory(LatestSyncs, uow=uow.provider)
    queue_due_syncs = providers.Factory(
        QueueDueSyncs, uow=uow.provider, clock=clock, ids=ids,
        every=providers.Callable(_minutes, config.delivery_sync_interval_minutes))
    run_syncs = providers.Factory(
        RunSyncs, uow=uow.provider, clock=clock, cipher=cipher, connector=connector, locks=locks)
    metrics = providers.Factory(GetMetrics, uow=uow.provider, clock=clock)
    list_deployments = providers.Factory(ListDeployments, uow=uow.provider, clock=clock)
    list_changes = providers.Factory(ListChanges, uow=uow.provider, clock=clock)
    list_incidents = providers.Factory(ListIncidents, uow=uow.provider, clock=clock)
