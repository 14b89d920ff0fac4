"""Fixtures: a fake provider on 127.0.0.1, and a sleep that only records its waits."""

import threading
from collections.abc import Iterator

import pytest

from tests.unit.delivery.support import FakeServer, RecordingSleep


@pytest.fixture
def server() -> Iterator[FakeServer]:
    fake = FakeServer()
    thread = threading.Thread(target=fake.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield fake
    fake.release.set()
    fake.shutdown()
    fake.server_close()


@pytest.fixture
def sleep() -> RecordingSleep:
    return RecordingSleep()
