"""Schemathesis against the live app on PostgreSQL: every operation, every default check, zero failures."""

import copy
import itertools
import warnings
from collections.abc import Iterator
from uuid import UUID

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

import tests.fuzz.hooks  # noqa: F401  (registers schema_valid_data_passes_validation)
from tests.fuzz.known_failures import KNOWN_FAILURES
from tests.reliability.conftest import Caller, caller
from tests.reliability.live import published_openapi
from tests.reliability.resources import (
    ID_PARAMETER, create_resources, first_scheme, kind_of_parameter, operations,
)

schema = schemathesis.openapi.from_dict(copy.deepcopy(published_openapi()))
schema.config.seed = 6  # reproducible: a failure seen once is seen on every run
OPERATIONS = operations(published_openapi())
ACCOUNTS = itertools.count()

class KnownFailure(UserWarning):
    """An operation still fails as tests/fuzz/known_failures.py says."""


@pytest.fixture
def known_failure(request) -> Iterator[dict[str, object]]:
    """A strict xfail by hand (Schemathesis' pytest plugin can report neither an xfail raised inside its explicit
    examples nor an XPASS): a known operation's failures are swallowed and reported as a KnownFailure warning;
    once it passes, its teardown errors until the entry is deleted."""
    label = request.node.name.partition("[")[2].rstrip("]")
    state = {"reason": KNOWN_FAILURES.get(label), "failed": False}
    yield state
    if state["failed"]:
        warnings.warn(KnownFailure(f"{label}: {state['reason']}"), stacklevel=1)
    elif state["reason"]:
        pytest.fail(f"{label} passes now ({state['reason']}): delete its entry in tests/fuzz/known_failures.py")


@pytest.fixture
def acting(request, live, live_client, owner) -> tuple[Caller, dict[str, list[str]]]:
    """Who the operation's cases act as: for an operation taking ids, a fresh account owning one resource of each
    kind, so cases reach past the lookup (and deleting one leaves the next operation its own)."""
    label = request.node.name.partition("[")[2].rstrip("]")
    if not any(op.label == label and op.id_parameters for op in OPERATIONS):
        return owner, {}
    fresh = caller(live_client, f"fuzz_{next(ACCOUNTS)}")
    return fresh, create_resources(live, live_client, published_openapi(), fresh)


def with_real_ids(case, ids: dict[str, list[str]]) -> None:
    """Give well-formed id path parameters the acting account's real ids (mutated ones stay: they test rejection)."""
    for name, value in (case.path_parameters or {}).items():
        known = ids.get(kind_of_parameter(name))
        if known and ID_PARAMETER.fullmatch("{" + name + "}") and _is_uuid(value):
            case.path_parameters[name] = known[0]


def _is_uuid(value: object) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


@schema.parametrize()
@settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, live, acting, known_failure):
    caller_, ids = acting
    with_real_ids(case, ids)
    try:
        case.call_and_validate(
            base_url=live.url, headers=caller_.headers(first_scheme(case.operation.definition.raw)),
            excluded_checks=[positive_data_acceptance],  # tests.fuzz.hooks registers its stand-in
        )
    except FailureGroup:
        if not known_failure["reason"]:
            raise
        known_failure["failed"] = True
