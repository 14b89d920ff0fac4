"""A use case that fails halfway writes nothing: a repository call that raises, injected through the container,
at every step of multi-write use cases, on both storages."""

from typing import Any
from uuid import uuid4

import pytest
from dependency_injector import providers

from adapters.blobs import MemoryBlobStore
from application.shared.unit_of_work import Purpose
from tests.reliability.interception import InterceptedUnitOfWork
from tests.reliability.live import PASSWORD


class InjectedFault(Exception):
    pass


class Faults:
    """Raises InjectedFault at the `fail_at`-th repository call or commit while armed; records what was called."""

    def __init__(self) -> None:
        self.fail_at: int | None = None
        self.calls: list[tuple[str, str, tuple[Any, ...]]] = []
        self.fired = False

    def arm(self, fail_at: int) -> None:
        self.fail_at, self.calls, self.fired = fail_at, [], False

    def disarm(self) -> None:
        self.fail_at = None

    async def tick(self, repository: str, method: str, args: tuple[Any, ...]) -> None:
        self.calls.append((repository, method, args))
        if self.fail_at is not None and len(self.calls) == self.fail_at:
            self.fired = True
            raise InjectedFault(f"injected at call {self.fail_at}: {repository}.{method}")


@pytest.fixture
def faults(container, storage) -> Faults:
    state = Faults()
    real = container.infrastructure.uow.providers[storage]
    container.infrastructure.uow.override(providers.Factory(lambda **scope: InterceptedUnitOfWork(real(**scope), before=state.tick)))
    container.imaging.blobs.override(providers.Object(MemoryBlobStore()))
    yield state
    container.infrastructure.uow.reset_override()


async def fails_cleanly_at_every_step(faults: Faults, act, observe, *, succeeds_with: int) -> int:
    """Fail `act` at repository call 1, 2, … until it gets through (answering `succeeds_with`); each failure must
    leave `observe()` as it was."""
    before = await observe()
    step = 1
    while True:
        faults.arm(step)
        response = await act()
        faults.disarm()
        if not faults.fired:
            assert response.status_code == succeeds_with, response.text
            assert await observe() != before, "the use case changed nothing visible: the check proves nothing"
            return step - 1
        assert response.status_code == 500, (step, response.text)
        after = await observe()
        assert after == before, f"failing at {faults.calls[-1][:2]} (call {step}) left writes behind"
        step += 1


async def register(api, name: str) -> dict[str, str]:
    body = {"email": f"{name}@example.com", "username": name, "password": PASSWORD}
    assert (await api.post("/api/v1/auth/register", json=body)).status_code == 201
    login = await api.post("/api/v1/auth/login", json={"username": name, "password": PASSWORD})
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def reads(api, headers: dict[str, str], *paths: str) -> list[tuple[int, Any]]:
    return [(r.status_code, r.json()) for r in [await api.get(path, headers=headers) for path in paths]]


async def test_a_failing_registration_hook_leaves_no_account(api, container, faults):
    body = {"email": "ada@example.com", "username": "ada", "password": PASSWORD}
    placeholder = uuid4()

    async def observe():
        opened = [args[0].id for repository, method, args in faults.calls if (repository, method) == ("accounts", "add")]
        async with container.infrastructure.uow(purpose=Purpose.LOGIN) as uow:  # disarmed: passes straight through
            account = await uow.accounts.get_by_email(body["email"])
        async with container.infrastructure.uow(account=opened[0] if opened else placeholder) as uow:
            categories = await uow.categories.all(opened[0] if opened else placeholder)
        return account is not None, len(categories)

    steps = await fails_cleanly_at_every_step(faults, lambda: api.post("/api/v1/auth/register", json=body), observe,
                                              succeeds_with=201)
    assert steps >= 3  # the account, the commit, then the default categories: AccountOpened's handler at commit


async def test_a_failing_password_change_keeps_the_old_password_and_sessions(api, faults):
    user = await register(api, "ada")
    refresh = (await api.post("/api/v1/auth/login", json={"username": "ada", "password": PASSWORD})).json()

    async def observe():
        old = await api.post("/api/v1/auth/login", json={"username": "ada", "password": PASSWORD})
        return old.status_code

    change = {"current_password": PASSWORD, "new_password": "a new and longer secret"}
    await fails_cleanly_at_every_step(faults, lambda: api.post("/api/v1/users/me/password", json=change,
                                                               headers=user), observe, succeeds_with=204)
    assert (await api.post("/api/v1/auth/refresh", json={"refresh_token": refresh["refresh_token"]})).status_code == 401


async def test_a_failing_csv_import_imports_nothing(api, faults):
    user = await register(api, "ada")
    csv = "date,amount,category\n2026-01-02,12.50,Food\n2026-01-03,3.20,Pets\n2026-01-04,7.00,Fresh category\n"

    async def act():
        return await api.post("/api/v1/expenses/import", headers=user,
                              files={"file": ("expenses.csv", csv.encode(), "text/csv")})

    steps = await fails_cleanly_at_every_step(
        faults, act, lambda: reads(api, user, "/api/v1/expenses", "/api/v1/categories"), succeeds_with=200)
    assert steps >= 3


async def test_a_failing_calendar_import_imports_nothing(api, faults):
    user = await register(api, "ada")
    calendar = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\n"
                + "".join(f"BEGIN:VEVENT\r\nUID:e{i}@t\r\nSUMMARY:Event {i}\r\nDTSTART:2026031{i}T090000Z\r\n"
                          f"DTEND:2026031{i}T100000Z\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\n"
                          "END:VALARM\r\nEND:VEVENT\r\n" for i in range(3))
                + "END:VCALENDAR\r\n")

    async def act():
        return await api.post("/api/v1/events/import", headers=user,
                              files={"file": ("cal.ics", calendar.encode(), "text/calendar")})

    steps = await fails_cleanly_at_every_step(
        faults, act, lambda: reads(api, user, "/api/v1/events?from=2026-03-01T00:00:00Z", "/api/v1/reminders"),
        succeeds_with=201)
    assert steps >= 3


async def test_a_failing_category_delete_moves_no_expense(api, faults):
    user = await register(api, "ada")
    first = (await api.post("/api/v1/categories", json={"name": "First"}, headers=user)).json()["id"]
    second = (await api.post("/api/v1/categories", json={"name": "Second"}, headers=user)).json()["id"]
    for amount in ("1.00", "2.00"):
        await api.post("/api/v1/expenses", json={"amount": amount, "category_id": first}, headers=user)

    await fails_cleanly_at_every_step(
        faults, lambda: api.delete(f"/api/v1/categories/{first}", params={"reassign_to": second}, headers=user),
        lambda: reads(api, user, "/api/v1/expenses", "/api/v1/categories"), succeeds_with=204)


async def test_a_failing_image_generation_spends_no_unit(api, container, faults):
    user = await register(api, "ada")
    key = (await api.post("/api/v1/api-keys", json={"name": "ci"}, headers=user)).json()
    prompt = {"prompt": "a lighthouse at dusk", "width": 64, "height": 64}

    async def observe():
        usage = (await api.get("/api/v1/usage", headers=user)).json()
        return [day["used"] for day in usage["today"]], (await api.get("/api/v1/images", headers=user)).json()

    await fails_cleanly_at_every_step(
        faults, lambda: api.post("/api/v1/images/generations", json=prompt, headers={"X-API-Key": key["key"]}),
        observe, succeeds_with=201)
