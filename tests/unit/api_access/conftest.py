import pytest

from adapters.clock import SettableClock
from tests.unit.api_access.support import ApiAccess, build_api_access


@pytest.fixture
def access(clock: SettableClock) -> ApiAccess:
    return build_api_access(clock)
