import pytest

from adapters.clock import SettableClock
from tests.unit.identity.support import ApiAccess, build_api_access


@pytest.fixture
def access(clock: SettableClock) -> ApiAccess:
    return build_api_access(clock)
