"""`atrium seed-demo`: the demo account, then each context's sample data for it (every seeder is idempotent)."""

import secrets
from collections.abc import Awaitable, Callable

from application.shared.unit_of_work import Purpose
from domain.identity.account import Account
from entrypoints.container import Container
from entrypoints.demo.calendar import seed_calendar
from entrypoints.demo.fitness import seed_fitness
from entrypoints.demo.delivery import seed_delivery
from entrypoints.demo.ledger import seed_ledger

DEMO_EMAIL, DEMO_USERNAME, DEMO_TIME_ZONE = "demo@example.com", "demo", "Europe/Oslo"

Seeder = Callable[[Container, Account], Awaitable[None]]
SEEDERS: tuple[Seeder, ...] = (seed_calendar, seed_ledger, seed_fitness, seed_delivery)


async def demo_account(container: Container, password: str | None) -> tuple[Account, str | None]:
    """The demo account, registered if missing; the password is returned only when it was just set."""
    async with container.infrastructure.uow(purpose=Purpose.LOGIN) as uow:  # by its email, like a login
        account = await uow.accounts.get_by_email(DEMO_EMAIL)
    if account is not None:
        return account, None
    password = password or secrets.token_urlsafe(12)
    account = await container.identity.register_account()(
        email=DEMO_EMAIL, username=DEMO_USERNAME, password=password, full_name="Demo User",
        time_zone=DEMO_TIME_ZONE)
    return account, password


async def seed_demo(container: Container, password: str | None) -> tuple[Account, str | None]:
    account, new_password = await demo_account(container, password)
    for seed in SEEDERS:
        await seed(container, account)
    return account, new_password
