"""Unit tests run the app's use cases as the app wires them (tests/composition.py), on memory storage."""

from datetime import timedelta

import pytest
from dependency_injector import providers

from adapters.clock import SettableClock
from adapters.passwords import Argon2PasswordHasher
from domain.identity.rate_limit import RateLimit
from entrypoints.container import Container
from tests.composition import compose

FAST_HASHING = Argon2PasswordHasher(time_cost=1, memory_cost=8192)  # argon2id still, at a test's pace
GENEROUS = RateLimit(1000, timedelta(seconds=1))  # API-key requests a test sends at one instant


@pytest.fixture
def container(clock: SettableClock) -> Container:
    """The app's container on memory storage, with the test's clock, quicker password hashing and a roomy
    per-key request rate."""
    container = compose("memory", clock)
    container.identity.hasher.override(providers.Object(FAST_HASHING))
    container.identity.api_key_rate_limit.override(providers.Object(GENEROUS))
    return container
