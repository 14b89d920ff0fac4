"""The composition root: the one place that knows which adapter serves which port. One sub-container per context
(`container.identity.login`, `container.ledger.list_expenses`, …) on one shared infrastructure
(`container.infrastructure.clock`, `.uow`, `.engine`); override a provider there and every context sees it."""

from dependency_injector import containers, providers

from entrypoints.container.calendar import Calendar
from entrypoints.container.fitness import Fitness
from entrypoints.container.delivery import Delivery
from entrypoints.container.identity import Identity
from entrypoints.container.imaging import Imaging
from entrypoints.container.infrastructure import Infrastructure
from entrypoints.container.ledger import Ledger
from entrypoints.settings import Settings


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)
    config = providers.Configuration()

    infrastructure = providers.Container(Infrastructure, settings=settings, config=config)
    ledger = providers.Container(
        Ledger, uow=infrastructure.uow, clock=infrastructure.clock, ids=infrastructure.ids)
    identity = providers.Container(
        Identity, settings=settings, config=config, uow=infrastructure.uow, clock=infrastructure.clock,
        ids=infrastructure.ids, random=infrastructure.random, rate_limiter=infrastructure.rate_limiter,
        engine=infrastructure.engine, connection_gate=infrastructure.connection_gate,
    )
    imaging = providers.Container(
        Imaging, config=config, uow=infrastructure.uow, clock=infrastructure.clock, ids=infrastructure.ids,
        quota_meter=infrastructure.quota_meter)
    calendar = providers.Container(
        Calendar, settings=settings, config=config, uow=infrastructure.uow, clock=infrastructure.clock,
        ids=infrastructure.ids)
    fitness = providers.Container(
        Fitness, settings=settings, config=config, uow=infrastructure.uow, clock=infrastructure.clock,
        ids=infrastructure.ids)
    delivery = providers.Container(
        Delivery, settings=settings, config=config, uow=infrastructure.uow, clock=infrastructure.clock,
        ids=infrastructure.ids, engine=infrastructure.engine, connection_gate=infrastructure.connection_gate)


def build_container(settings: Settings | None = None) -> Container:
    """A container configured from `settings` (default: the environment)."""
    settings = settings or Settings()
    container = Container(settings=settings)
    container.config.from_dict(settings.model_dump(mode="python"))
    return container
