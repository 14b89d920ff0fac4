import pytest

from adapters.clock import SettableClock
from tests.unit.imaging.support import Imaging, build_imaging


@pytest.fixture
def imaging(clock: SettableClock) -> Imaging:
    return build_imaging(clock)
