"""Check-then-act use cases on PostgreSQL: two requests meeting right after the check still keep the rule.

Each test makes two (or more) calls pause right after their check until both got there; a guard that serialises
them (a row lock, an advisory lock, a guarded UPDATE) makes the second wait for the first's commit instead, and
the pause gives up after PAUSE seconds, so a guarded use case passes and an unguarded one deterministically fails.
"""

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from dependency_injector import providers

from application.identity.sessions import TokenPair
from application.imaging.generations import PAGE_MAX
from domain.imaging.generation import ImageRequest
from domain.shared.errors import DomainError
from tests.reliability.interception import InterceptedUnitOfWork

pytestmark = pytest.mark.parametrize("storage", ["postgres"], indirect=True)
PAUSE = 2.0
PASSWORD = "correct horse battery staple"


class Rendezvous:
    """Holds every call of `repository.method` until `parties` of them arrived (or PAUSE passed)."""

    def __init__(self, repository: str, method: str, parties: int = 2) -> None:
        self.target = (repository, method)
        self.barrier = asyncio.Barrier(parties)

    async def after(self, repository: str, method: str, args) -> None:
        if (repository, method) != self.target:
            return
        try:
            await asyncio.wait_for(self.barrier.wait(), PAUSE)
        except (TimeoutError, asyncio.BrokenBarrierError):
            await self.barrier.abort()


def meet_after(container, repository: str, method: str, parties: int = 2) -> None:
    real = container.infrastructure.uow.providers["postgres"]
    point = Rendezvous(repository, method, parties)
    container.infrastructure.uow.override(providers.Factory(lambda **scope: InterceptedUnitOfWork(real(**scope), after=point.after)))


async def outcomes(container, *calls) -> list[object]:
    """Each call's result, or the code of the domain error it raised; then the pause is lifted."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    container.infrastructure.uow.reset_override()
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, DomainError):
            raise result
    return [result.code if isinstance(result, DomainError) else result for result in results]


async def new_account(container, name: str = "ada"):
    return await container.identity.register_account()(email=f"{name}@example.com", username=name, password=PASSWORD)


async def test_one_refresh_token_spent_twice_at_once_has_one_winner(container):
    await new_account(container)
    pair = await container.identity.login()(login="ada", password=PASSWORD)
    meet_after(container, "refresh_tokens", "get_by_hash")
    results = await outcomes(container, *(container.identity.refresh_session()(pair.refresh_token) for _ in range(2)))
    assert sum(isinstance(result, TokenPair) for result in results) == 1, results


async def test_the_last_free_api_key_slot_goes_to_one_of_two_creations(container):
    owner = await new_account(container)
    for n in range(19):
        await container.identity.create_api_key()(owner.id, name=f"key {n}")
    meet_after(container, "api_keys", "count_usable")
    create = container.identity.create_api_key
    results = await outcomes(container, *(create()(owner.id, name=f"late {n}") for n in range(2)))
    assert sorted(result if isinstance(result, str) else "created" for result in results) == [
        "created", "too_many_api_keys"], results
    assert len(await container.identity.list_api_keys()(owner.id)) == 20


async def test_two_overlapping_budgets_created_at_once_make_one_budget(container):
    owner = await new_account(container)
    meet_after(container, "budgets", "find_overlapping")
    results = await outcomes(container, *(container.ledger.create_budget()(owner.id, amount="100.00", period="monthly",
                                                         start_date=date(2026, 1, 1)) for _ in range(2)))
    assert sum(isinstance(result, str) for result in results) == 1, results
    assert len(await container.ledger.list_budgets()(owner.id)) == 1


async def test_the_fifth_reminder_slot_of_an_event_goes_to_one_of_two_creations(container):
    owner = await new_account(container)
    start = datetime(2030, 1, 1, 9, tzinfo=UTC)
    event = await container.calendar.create_event()(owner.id, title="Standup", start_time=start,
                                           end_time=start + timedelta(hours=1))
    for minutes in range(1, 5):
        await container.calendar.create_reminder()(owner.id, event.id, minutes_before=minutes)
    meet_after(container, "reminders", "for_event")
    create = container.calendar.create_reminder
    results = await outcomes(container, *(create()(owner.id, event.id, minutes_before=m) for m in (30, 60)))
    assert sum(isinstance(result, str) for result in results) == 1, results
    assert len(await container.calendar.list_event_reminders()(owner.id, event.id)) == 5


async def test_one_idempotency_key_used_at_once_renders_and_spends_once(container):
    owner = await new_account(container)
    issued = await container.identity.create_api_key()(owner.id, name="ci", daily_quota=10)
    caller = await container.identity.authenticate_api_key()(issued.secret)
    request = ImageRequest.parse(prompt="a lighthouse", width=64, height=64, format="png", seed=1)
    results = await outcomes(container, *(container.imaging.generate_image()(caller, request, idempotency_key="retry-1")
                               for _ in range(5)))
    made = {result.generation.id for result in results if not isinstance(result, str)}
    assert len(made) == 1 and all(isinstance(r, str) or r.generation.id in made for r in results), results
    assert sum(not isinstance(r, str) and not r.replayed for r in results) == 1, results
    page = await container.imaging.list_generations()(owner.id, limit=PAGE_MAX, cursor=None)
    assert len(page.items) == 1
    usage = await container.identity.get_usage()(owner.id, start=None, end=None, api_key_id=None)
    assert [day.used for day in usage.today] == [1]
