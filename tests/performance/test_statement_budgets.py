"""Every operation the API publishes, sent once and successfully by an owner holding resources of every kind:
the statements it sends to PostgreSQL stay within the budget written here, and no read sends more when the
owner holds more rows (no N+1). A new operation fails `test_every_operation_has_a_budget` until it has one."""

import asyncio
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from domain.calendar.reminder import MAX_PER_EVENT
from tests.performance.statements import StatementLog
from tests.reliability.conftest import Caller, caller
from tests.reliability.live import PASSWORD, LiveServer, fresh_database, published_openapi
from tests.reliability.resources import (
    CREATE_BODIES, PROBE_BODIES, Operation, create_resources, fill, operations,
)

OPERATIONS = {op.label: op for op in operations(published_openapi())}

# The most statements one successful request may send (BEGIN and COMMIT not counted), in the order the
# requests are sent: reads first, then changes, then removals, then the session's own end. The sensitive
# operations (API key create and roll, password, webhook and feed settings) spend one on checking the session
# in the database; login one on its three failure counts (its session and first refresh token go in one). The
# fitness catalogue is read from memory; plan creation's budgets hold a cache miss (one more statement: the draft is cached), a PATCH's a
# swap (the profile and the new version), a meal plan's the year of weights and of intake behind its targets. Delivery reads send the
# account's time zone, the chosen sources and one statement that computes (metrics) or lists; a PATCH that changes a
# source's options also deletes its records (one statement) and saved states. The event list is one statement
# that PostgreSQL renders, unless a series may meet the window: then the one-off events and the series are read
# again as entities (three).
BUDGETS: dict[str, int] = {
    "GET /health": 0,
    "GET /ready": 2,
    "GET /api/v1/users/me": 1,
    "GET /api/v1/api-keys": 1,
    "GET /api/v1/usage": 2,
    "GET /api/v1/images": 1,
    "GET /api/v1/images/{image_id}": 1,
    "GET /api/v1/categories": 1,
    "GET /api/v1/expenses": 2,
    "GET /api/v1/expenses/export.csv": 2,
    "GET /api/v1/expenses/{expense_id}": 1,
    "GET /api/v1/budgets": 1,
    "GET /api/v1/budgets/{budget_id}": 1,
    "GET /api/v1/budgets/{budget_id}/progress": 3,
    "GET /api/v1/reports/monthly": 3,
    "GET /api/v1/reports/summary": 5,
    "GET /api/v1/events": 3,
    "GET /api/v1/events/{event_id}": 1,
    "GET /api/v1/events/{event_id}/reminders": 2,
    "GET /api/v1/reminders": 1,
    "GET /api/v1/events/{event_id}/notes": 2,
    "GET /api/v1/notifications": 1,
    "GET /api/v1/calendar.ics": 4,
    "GET /api/v1/exercises": 0,
    "GET /api/v1/exercises/{exercise_id}": 0,
    "GET /api/v1/foods": 0,
    "GET /api/v1/foods/{food_id}": 0,
    "GET /api/v1/fitness-profile": 4,
    "GET /api/v1/weight-entries": 1,
    "GET /api/v1/intake-logs": 1,
    "GET /api/v1/workout-plans": 1,
    "GET /api/v1/workout-plans/{workout_plan_id}": 1,
    "GET /api/v1/workout-sessions": 1,
    "GET /api/v1/meal-plans": 1,
    "GET /api/v1/meal-plans/{meal_plan_id}": 1,
    "GET /api/v1/delivery/sources": 1,
    "GET /api/v1/delivery/sources/{source_id}": 1,
    "GET /api/v1/delivery/syncs/{sync_id}": 1,
    "GET /api/v1/delivery/metrics": 3,
    "GET /api/v1/delivery/deployments": 3,
    "GET /api/v1/delivery/changes": 3,
    "GET /api/v1/delivery/incidents": 3,
    "POST /api/v1/auth/register": 3,
    "POST /api/v1/auth/login": 4,
    "POST /api/v1/auth/refresh": 4,
    "PATCH /api/v1/users/me": 2,
    "POST /api/v1/api-keys": 4,
    "POST /api/v1/api-keys/{api_key_id}/roll": 3,
    "POST /api/v1/images/generations": 4,
    "POST /api/v1/categories": 1,
    "PATCH /api/v1/categories/{category_id}": 2,
    "POST /api/v1/expenses": 2,
    "PATCH /api/v1/expenses/{expense_id}": 2,
    "POST /api/v1/expenses/import": 4,
    "POST /api/v1/budgets": 5,
    "PATCH /api/v1/budgets/{budget_id}": 4,
    "POST /api/v1/events": 2,
    "PATCH /api/v1/events/{event_id}": 2,
    "POST /api/v1/events/import": 2,
    "POST /api/v1/events/{event_id}/reminders": 3,
    "POST /api/v1/reminders/{reminder_id}/snooze": 3,
    "POST /api/v1/events/{event_id}/notes": 2,
    "PATCH /api/v1/notes/{note_id}": 3,
    "POST /api/v1/notifications/{notification_id}/read": 2,
    "POST /api/v1/calendar-feed": 3,
    "GET /api/v1/calendar-feeds/{token}.ics": 5,
    "DELETE /api/v1/calendar-feed": 2,
    "PUT /api/v1/calendar-webhook": 2,
    "PUT /api/v1/fitness-profile": 5,
    "POST /api/v1/weight-entries": 2,
    "POST /api/v1/intake-logs": 2,
    "POST /api/v1/workout-plans": 5,
    "PATCH /api/v1/workout-plans/{workout_plan_id}": 5,
    "POST /api/v1/workout-sessions": 4,
    "POST /api/v1/workout-plans/{workout_plan_id}/adaptations": 5,
    "POST /api/v1/meal-plans": 7,
    "POST /api/v1/meal-plans/{meal_plan_id}/adaptations": 9,
    "POST /api/v1/delivery/sources": 2,
    "PATCH /api/v1/delivery/sources/{source_id}": 5,
    "POST /api/v1/delivery/sources/{source_id}/syncs": 2,
    "GET /api/v1/calendar-webhook": 1,
    "DELETE /api/v1/calendar-webhook": 2,
    "DELETE /api/v1/notes/{note_id}": 3,
    "DELETE /api/v1/reminders/{reminder_id}": 3,
    "DELETE /api/v1/events/{event_id}": 4,
    "POST /api/v1/events/{event_id}/restore": 4,
    "DELETE /api/v1/meal-plans/{meal_plan_id}": 1,
    "DELETE /api/v1/workout-plans/{workout_plan_id}": 1,
    "DELETE /api/v1/budgets/{budget_id}": 1,
    "DELETE /api/v1/delivery/sources/{source_id}": 1,
    "DELETE /api/v1/expenses/{expense_id}": 1,
    "DELETE /api/v1/categories/{category_id}": 4,
    "DELETE /api/v1/api-keys/{api_key_id}": 2,
    "POST /api/v1/users/me/password": 5,
    "POST /api/v1/auth/logout": 2,
}

ICALENDAR = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Elsewhere//EN\r\nBEGIN:VEVENT\r\nUID:budget-1@elsewhere\r\n"
             "SUMMARY:Standup\r\nDTSTART:20300316T090000Z\r\nDTEND:20300316T091500Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")


class Session:
    """The owner's credentials, ids and earlier answers, from which each operation's request is built."""

    def __init__(self, owner: Caller, ids: dict[str, list[str]]) -> None:
        self.owner = owner
        self.ids = ids
        self.answers: dict[str, httpx.Response] = {}

    def refresh_token(self) -> str:
        return (self.answers.get("POST /api/v1/auth/refresh") or self.answers["POST /api/v1/auth/login"]).json()[
            "refresh_token"]


# What a request carries beyond its filled path and the owner's credentials, where the defaults
# (PROBE_BODIES, CREATE_BODIES, no body) do not do.
REQUESTS: dict[str, Callable[[Session], dict[str, Any]]] = {
    "POST /api/v1/auth/register": lambda s: {"json": {"email": "budget_new@example.com", "username": "budget_new",
                                                      "password": PASSWORD}},
    "POST /api/v1/auth/login": lambda s: {"json": {"username": "budget_owner", "password": PASSWORD}},
    "POST /api/v1/auth/refresh": lambda s: {"json": {"refresh_token": s.refresh_token()}},
    "POST /api/v1/auth/logout": lambda s: {"json": {"refresh_token": s.refresh_token()}},
    "PATCH /api/v1/users/me": lambda s: {"json": {"full_name": "Budget Owner"}},
    "POST /api/v1/users/me/password": lambda s: {"json": {"current_password": PASSWORD,
                                                          "new_password": PASSWORD + " again"}},
    "POST /api/v1/api-keys/{api_key_id}/roll": lambda s: {"json": {}},
    "POST /api/v1/categories": lambda s: {"json": {"name": "Spare"}},
    "PATCH /api/v1/categories/{category_id}": lambda s: {"json": {"color": "#336699"}},
    "DELETE /api/v1/categories/{category_id}": lambda s: {
        "url": f"/api/v1/categories/{s.answers['POST /api/v1/categories'].json()['id']}"},
    "GET /api/v1/reports/monthly": lambda s: {"params": {"from": "2029-11", "to": "2030-02"}},
    "PATCH /api/v1/expenses/{expense_id}": lambda s: {"json": {"description": "changed"}},
    "POST /api/v1/expenses/import": lambda s: {"files": {"file": (
        "expenses.csv", s.answers["GET /api/v1/expenses/export.csv"].content, "text/csv")}},
    "POST /api/v1/budgets": lambda s: {"json": {"amount": "50.00", "period": "monthly",
                                                "category_id": s.answers["POST /api/v1/categories"].json()["id"]}},
    "DELETE /api/v1/budgets/{budget_id}": lambda s: {
        "url": f"/api/v1/budgets/{s.answers['POST /api/v1/budgets'].json()['id']}"},
    "PATCH /api/v1/budgets/{budget_id}": lambda s: {"json": {"amount": "120.00"}},
    "PATCH /api/v1/events/{event_id}": lambda s: {"json": {"title": "changed"}},
    "POST /api/v1/events/import": lambda s: {"files": {"file": ("calendar.ics", ICALENDAR.encode(), "text/calendar")}},
    "POST /api/v1/events/{event_id}/reminders": lambda s: {"json": {"minutes_before": 30}},
    "GET /api/v1/calendar-feeds/{token}.ics": lambda s: {
        "url": urlsplit(s.answers["POST /api/v1/calendar-feed"].json()["url"]).path},
    "PUT /api/v1/calendar-webhook": lambda s: {"json": {"url": "https://example.com/hooks/atrium"}},
    "PATCH /api/v1/workout-plans/{workout_plan_id}": lambda s: {"json": {"name": "Renamed", "auto_adapt": False}},
    "PATCH /api/v1/delivery/sources/{source_id}": lambda s: {"json": {"incident_pattern": "^Revert"}},
    "DELETE /api/v1/delivery/sources/{source_id}": lambda s: {
        "url": f"/api/v1/delivery/sources/{s.answers['POST /api/v1/delivery/sources'].json()['id']}"},
}


def request(op: Operation, session: Session) -> dict[str, Any]:
    """The keyword arguments of `httpx.Client.request` that send `op` successfully, as the owner."""
    body = PROBE_BODIES.get((op.method, op.path), CREATE_BODIES.get(op.path) if op.method == "POST" else None)
    sent: dict[str, Any] = {"method": op.method, "url": fill(op.path, session.ids),
                            "headers": session.owner.headers(op.preferred_scheme)}
    if body is not None:
        sent["json"] = fill(body, session.ids)
    return sent | REQUESTS.get(op.label, lambda _: {})(session)


Send = Callable[[dict[str, Any]], tuple[httpx.Response, int]]


@pytest.fixture(scope="module")
def server(postgres_server, tmp_path_factory):
    """A live server of this module's own, with nothing running beside the requests."""
    url = fresh_database(postgres_server.url, "atrium_statement_budgets")
    server = LiveServer(url, tmp_path_factory.mktemp("statement-budgets"), dispatch_in_api=False)
    # The poll for ended sessions (about once a second, not per request) would run beside a request on a second
    # pooled connection, whose first statements count against whatever request meets them: it polls once, first.
    server.container.identity.ended_sessions.providers["postgres"].add_kwargs(monotonic=lambda: 0.0)
    with server as live:
        yield live


@pytest.fixture(scope="module")
def client(server: LiveServer):
    with server.client() as client:
        yield client


@pytest.fixture(scope="module")
def send(server: LiveServer, client: httpx.Client) -> Send:
    """Send a request that must succeed; its answer and the statements it sent."""
    log = StatementLog(server.container.infrastructure.engine())

    def send(request: dict[str, Any]) -> tuple[httpx.Response, int]:
        log.sql.clear()
        response = client.request(**request)
        assert response.status_code < 300, (request["method"], request["url"], response.status_code, response.text)
        server.run(asyncio.sleep(0))  # asyncpg reports a query a loop turn later: let the server's loop catch up
        return response, len(log.sql)

    return send


@pytest.fixture(scope="module")
def sent(server, client, send) -> dict[str, int]:
    """Statements sent by each operation in BUDGETS, in order, by an owner holding one resource of each kind."""
    owner = caller(client, "budget_owner")
    session = Session(owner, create_resources(server, client, published_openapi(), owner))
    counts = {}
    for label in BUDGETS:
        session.answers[label], counts[label] = send(request(OPERATIONS[label], session))
    return counts


def test_every_operation_has_a_budget():
    assert set(BUDGETS) == set(OPERATIONS), {"no budget": set(OPERATIONS) - set(BUDGETS),
                                             "no operation": set(BUDGETS) - set(OPERATIONS)}


@pytest.mark.parametrize("label", BUDGETS)
def test_each_operation_stays_within_its_budget(label, sent):
    assert sent[label] <= BUDGETS[label], f"{label} sent {sent[label]} statements; its budget is {BUDGETS[label]}"


def test_no_read_sends_more_statements_when_the_owner_holds_more_rows(server, client, send):
    owner = caller(client, "budget_reader")
    ids = create_resources(server, client, published_openapi(), owner)
    create_resources(server, client, published_openapi(), owner, ids, copy=1)  # a second of each: a series too
    session = Session(owner, ids)
    send(request(OPERATIONS["PUT /api/v1/calendar-webhook"], session))
    reads = [op for op in OPERATIONS.values() if op.method == "GET" and op.path.startswith("/api/")
             and not op.other_parameters]
    few = {op.label: send(request(op, session))[1] for op in reads}
    for copy in range(2, MAX_PER_EVENT):  # the first event then holds as many reminders as it may
        create_resources(server, client, published_openapi(), owner, ids, copy=copy)
    many = {op.label: send(request(op, session))[1] for op in reads}
    assert many == few
