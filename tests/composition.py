"""One composition for every test: the production container (entrypoints/container/) on the storage under test,
with a settable clock, and stand-ins only where a test must not leave the machine."""

from typing import Any

from dependency_injector import containers, providers

from adapters.clock import SettableClock
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from tests.fakes import FakeResolver


def settings_for(storage: str, **overrides: object) -> Settings:
    values = {"storage": storage, "jwt_secret": "test-secret-" + "x" * 32, "secret_key": "test-key-" + "y" * 32,
              "database_url": None, **overrides}
    return Settings(_env_file=None, **values)


def compose(storage: str, clock: SettableClock, **settings: object) -> Container:
    """The container the app runs on, for `storage` ("memory" or "postgres"), reading `clock` and resolving host
    names from a table instead of DNS."""
    container = build_container(settings_for(storage, **settings))
    container.infrastructure.clock.override(providers.Object(clock))
    container.calendar.host_resolver.override(providers.Object(FakeResolver()))
    return container


class UseCases:
    """A context's use cases by their provider's name, each built when asked for, as a route gets it:
    `ledger.create_expense(owner, …)` runs `container.ledger.create_expense()(owner, …)`. Keyword arguments add
    test helpers (a unit of work, the clock)."""

    def __init__(self, context: containers.Container, **helpers: Any) -> None:
        self._context = context
        self.__dict__.update(helpers)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._context, name)()
