"""Generated from the OpenAPI: another account's ids answer 404 and change nothing, on every route taking an id."""

import httpx
import pytest

from tests.reliability.conftest import Caller, caller
from tests.reliability.live import published_openapi
from tests.reliability.resources import (
    BODY_ID_ERRORS, CREATE_BODIES, NOT_CREATING, PROBE_BODIES, SHARED_KINDS, Operation, create_resources, fill,
    kind_of_parameter, operations,
)

OPERATIONS = operations(published_openapi())
ID_OPERATIONS = [op for op in OPERATIONS if op.id_parameters]
OWNED_ID_OPERATIONS = [op for op in ID_OPERATIONS
                       if any(kind_of_parameter(p) not in SHARED_KINDS for p in op.id_parameters)]
# Operations with a known isolation failure in a route this suite does not own; strict xfail, so a fix flips it.
KNOWN_FAILURES: dict[str, str] = {}


@pytest.fixture(scope="module")
def first(live_client) -> Caller:
    return caller(live_client, "isolation_first")


@pytest.fixture(scope="module")
def second(live_client) -> Caller:
    return caller(live_client, "isolation_second")


@pytest.fixture(scope="module")
def first_ids(live, live_client, first) -> dict[str, list[str]]:
    """One resource of every kind the API can make, owned by the first account."""
    return create_resources(live, live_client, published_openapi(), first)


def snapshot(client: httpx.Client, owner: Caller, ids: dict[str, list[str]]) -> dict[str, tuple[int, bytes]]:
    """What the owner sees through every read it can make: lists, and each of its resources."""
    seen = {}
    for op in OPERATIONS:
        if op.method != "GET" or not op.path.startswith("/api/") or op.other_parameters:
            continue
        response = client.get(fill(op.path, ids), headers=owner.headers(op.preferred_scheme))
        seen[op.label] = (response.status_code, response.content)
    return seen


def probe_body(op: Operation, ids: dict[str, list[str]]) -> dict[str, object]:
    media = op.media_types
    if not media:
        return {}
    assert media == ["application/json"], f"{op.label}: add a probe for its {media} body"
    body = PROBE_BODIES.get((op.method, op.path), CREATE_BODIES.get(op.path, {}))
    return {"json": fill(body, ids)}


def test_every_creating_route_has_a_known_good_body():
    creating = {op.path for op in OPERATIONS if op.method == "POST" and op.documents(201)}
    missing = creating - set(CREATE_BODIES) - set(NOT_CREATING)
    assert not missing, f"add a known-good body to CREATE_BODIES in tests/reliability/resources.py for {missing}"


def test_every_id_kind_has_a_resource(first_ids):
    kinds = {kind_of_parameter(p) for op in ID_OPERATIONS for p in op.id_parameters}
    missing = {kind for kind in kinds if not first_ids.get(kind)}
    assert not missing, f"no way to make a {missing} for the probes: add its POST to CREATE_BODIES or a seeder"


@pytest.fixture(autouse=True)
def known_failure(request):
    label = getattr(request.node, "callspec", None) and request.node.callspec.id
    if label in KNOWN_FAILURES:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN_FAILURES[label]))


def test_shared_catalogue_ids_read_the_same_for_every_account(live_client, first, second, first_ids):
    shared = [op for op in ID_OPERATIONS if op not in OWNED_ID_OPERATIONS]
    assert {op.label for op in shared} == {"GET /api/v1/exercises/{exercise_id}", "GET /api/v1/foods/{food_id}"}
    for op in shared:
        answers = [live_client.get(fill(op.path, first_ids), headers=who.user) for who in (first, second)]
        assert [a.status_code for a in answers] == [200, 200] and answers[0].json() == answers[1].json()


@pytest.mark.parametrize("op", OWNED_ID_OPERATIONS, ids=lambda op: op.label)
def test_another_accounts_id_is_not_found_and_nothing_changes(op, live_client, first, second, first_ids):
    before = snapshot(live_client, first, first_ids)
    path = fill(op.path, first_ids)
    for scheme in op.schemes:
        response = live_client.request(op.method, path, headers=second.headers(scheme), **probe_body(op, first_ids))
        assert response.status_code == 404, (op.label, scheme, response.status_code, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert op.documents(404), f"{op.label} answers 404 but does not document it"
    assert snapshot(live_client, first, first_ids) == before
    reads = {label: status for label, (status, _) in before.items() if "{" in label}
    assert all(status == 200 for status in reads.values()), reads


@pytest.mark.parametrize("path", [path for path, body in CREATE_BODIES.items() if "_id}" in repr(body)])
def test_a_body_naming_another_accounts_id_creates_nothing(path, live_client, first, second, first_ids):
    before = snapshot(live_client, first, first_ids)
    response = live_client.post(path, json=fill(CREATE_BODIES[path], first_ids), headers=second.user)
    # the id is in the body, so it is a bad value there (a path's id would be a 404)
    field = next(name for name, value in CREATE_BODIES[path].items() if "_id}" in repr(value))
    assert response.status_code == 422, (path, response.status_code, response.text)
    assert response.json()["code"] == BODY_ID_ERRORS[field], response.text
    assert [(e["location"], e["field"]) for e in response.json()["errors"]] == [("body", field)], response.text
    assert snapshot(live_client, first, first_ids) == before
