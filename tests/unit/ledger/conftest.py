from datetime import UTC, datetime
from uuid import UUID

import pytest

from adapters.clock import SettableClock
from entrypoints.container import Container
from tests.composition import UseCases


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(datetime(2026, 3, 15, 12, 0, tzinfo=UTC))


@pytest.fixture
def ledger(container: Container) -> UseCases:
    """Every ledger use case by its provider's name; `set_locale` sets an owner's currency and time zone."""

    async def set_locale(owner_id: UUID, *, currency: str = "EUR", time_zone: str = "UTC") -> None:
        await container.identity.update_profile()(owner_id, currency=currency, time_zone=time_zone)

    return UseCases(container.ledger, uow=container.infrastructure.uow, set_locale=set_locale)


async def open_account(container: Container, name: str) -> UUID:
    """Register an account (it starts with the six default categories); its id."""
    account = await container.identity.register_account()(
        email=f"{name}@example.com", username=name, password="correct horse")
    return account.id


@pytest.fixture
async def owner(container: Container) -> UUID:
    return await open_account(container, "ada")


@pytest.fixture
async def stranger(container: Container) -> UUID:
    return await open_account(container, "grace")


@pytest.fixture
async def food(ledger: UseCases, owner: UUID) -> UUID:
    """The id of the owner's default Food category."""
    return next(c.id for c in await ledger.list_categories(owner) if c.name == "Food")
