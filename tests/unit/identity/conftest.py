import pytest

from adapters.clock import SettableClock
from entrypoints.container import Container
from tests.unit.identity.support import ApiKeys


@pytest.fixture
def access(container: Container, clock: SettableClock) -> ApiKeys:
    return ApiKeys(container, clock)
