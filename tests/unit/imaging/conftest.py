import pytest

from adapters.clock import SettableClock
from entrypoints.container import Container
from tests.unit.imaging.support import Imaging


@pytest.fixture
def imaging(container: Container, clock: SettableClock) -> Imaging:
    return Imaging(container, clock)
