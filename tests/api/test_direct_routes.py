"""Routes served without FastAPI's dependency solver (entrypoints/api/direct.py) answer exactly as FastAPI's own
handler does: the same statuses, bodies and errors for every such route, and FastAPI's handler wherever a
dependency is overridden."""

import re
import uuid
from datetime import date, timedelta

from typing import Annotated

import pytest
from dependency_injector import providers
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.routing import request_response
from fastapi.testclient import TestClient

from domain.identity.rate_limit import RateLimit
from entrypoints.api.app import create_app
from entrypoints.api.problems import install_problem_handlers
from entrypoints.api.routing import PrefixRoute, add_routes
from tests.api.calendar_support import sign_up

MEMORY = pytest.mark.parametrize("storage", ["memory"], indirect=True)

SAMPLES = {"uuid": str(uuid.UUID(int=7)), "int": "7", "str": "x"}
HOT = {("GET", "/api/v1/events/{event_id:uuid}"), ("GET", "/api/v1/events"), ("GET", "/api/v1/users/me"),
       ("GET", "/api/v1/expenses/{expense_id:uuid}"), ("GET", "/api/v1/workout-plans/{workout_plan_id:uuid}"),
       ("POST", "/api/v1/images/generations")}


def direct_routes(app) -> list[PrefixRoute]:
    return [route for route in app.routes
            if isinstance(route, PrefixRoute) and route.app.__qualname__.startswith("direct_app")]


@MEMORY
def test_the_hot_reads_and_json_writes_are_served_directly_and_forms_are_not(container):
    direct = {(method, route.path) for route in direct_routes(create_app(container)) for method in route.methods}
    assert HOT <= direct
    assert {("POST", "/api/v1/expenses"), ("PATCH", "/api/v1/events/{event_id:uuid}")} <= direct
    assert ("POST", "/api/v1/expenses/import") not in direct  # a multipart form: FastAPI's handler


JSON = {"content-type": "application/json"}
BODIES = [(b"", JSON), (b"{", JSON), (b"[]", JSON), (b"null", JSON), (b"{}", {"content-type": "text/plain"}),
          (b"{}", {}), (b"[" * 40 + b"]" * 40, JSON), (b'{"title": "\\u0000"}', JSON),
          (b"{}", {"content-type": "application/merge-patch+json"}), (b"\xff", JSON), (b"{}", JSON)]


def requests_for(route: PrefixRoute, credentials: list[dict[str, str]]) -> list[tuple[str, str, dict[str, str], bytes]]:
    """The route's path with sample parameters: without credentials, and with each of `credentials` (a user's token,
    an API key in either header) plainly, with a NUL and with each query parameter wrong; with a body, each of
    BODIES, and a broken one without credentials."""
    path = re.sub(r"{[^}:]+(?::(\w+))?}", lambda m: SAMPLES[m.group(1) or "str"], route.path)
    method = sorted(route.methods - {"HEAD"})[0]
    sent = [(method, path, {}, b"")]
    for headers in credentials:
        sent += [(method, path, headers, b""), (method, path + "?x=%00", headers, b"")]
        for field in route.dependant.query_params:
            sent.append((method, f"{path}?{field.alias}=%E2%80%A2not-valid", headers, b""))
            sent.append((method, f"{path}?{field.alias}=", headers, b""))
        if route.dependant.body_params:
            sent += [(method, path, {**headers, **kind}, body) for body, kind in BODIES]
    if route.dependant.body_params:
        sent.append((method, path, JSON, b"{"))
    return sent


def comparable(response) -> tuple[int, object, list[tuple[str, str]]]:
    """Status, headers, and the body of a refusal (an accepted write makes up ids and times)."""
    body = response.json() if response.content and response.status_code >= 400 else None
    if isinstance(body, dict):
        body.pop("request_id", None)
    headers = sorted((name, value) for name, value in response.headers.items()
                     if name not in ("x-request-id", "content-length", "date"))
    return response.status_code, body, headers


@MEMORY
async def test_every_direct_route_answers_as_fastapi_handler_does(container, api):
    container.identity.api_key_rate_limit.override(providers.Object(RateLimit(10**6, timedelta(seconds=1))))
    headers = await sign_up(api)
    key = (await api.post("/api/v1/api-keys", json={"name": "ci"}, headers=headers)).json()["key"]
    credentials = [headers, {"X-API-Key": key}, {"Authorization": f"Bearer {key}"}]
    routes = direct_routes(api._transport.app)
    assert len(routes) > 30
    compared = 0
    for route in routes:
        direct, general = route.app, request_response(route.get_route_handler())  # what FastAPI would serve
        for method, path, sent_headers, body in requests_for(route, credentials):
            route.app = direct
            answer = comparable(await api.request(method, path, headers=sent_headers, content=body))
            route.app = general
            assert answer == comparable(await api.request(method, path, headers=sent_headers, content=body)), (
                method, path, body)
            compared += 1
        route.app = direct
    assert compared > 1000


def test_an_overridden_dependency_is_honoured():
    app = FastAPI()
    router = APIRouter(route_class=PrefixRoute, dependency_overrides_provider=app)

    async def caller(request: Request) -> str:
        return request.headers.get("x-caller", "nobody")

    @router.get("/api/v1/who")
    async def who(name: Annotated[str, Depends(caller)]) -> dict[str, str]:
        return {"name": name}

    add_routes(app.router, router)
    client = TestClient(app)
    assert direct_routes(app) and client.get("/api/v1/who", headers={"x-caller": "ada"}).json() == {"name": "ada"}
    app.dependency_overrides[caller] = lambda: "grace"
    assert client.get("/api/v1/who", headers={"x-caller": "ada"}).json() == {"name": "grace"}


QUERIES = ["", "?n=3", "?n=x", "?n=3&tags=a&tags=b", "?tags=a", "?n=3&tags=", "?n=3&n=4", "?n=3&limit=0",
           "?n=3&limit=200", "?n=%00", "?n=3&at=2026-13-01"]


@pytest.mark.parametrize("query", QUERIES)
def test_query_parameters_are_read_and_refused_as_fastapi_does(query):
    app = FastAPI()
    router = APIRouter(route_class=PrefixRoute)

    @router.get("/api/v1/things/{thing_id:int}")
    async def things(thing_id: int, n: int, tags: Annotated[list[str], Query()] = [],  # noqa: B006
                     limit: Annotated[int, Query(ge=1, le=100)] = 50, at: date | None = None) -> dict[str, object]:
        return {"thing_id": thing_id, "n": n, "tags": tags, "limit": limit, "at": at}

    add_routes(app.router, router)
    install_problem_handlers(app)
    [route] = direct_routes(app)
    client = TestClient(app)
    direct = client.get(f"/api/v1/things/7{query}")
    route.app = request_response(route.get_route_handler())
    assert comparable(direct) == comparable(client.get(f"/api/v1/things/7{query}"))
