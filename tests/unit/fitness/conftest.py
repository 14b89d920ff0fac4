"""The vendored catalogue, read once for the session."""

import pytest

from adapters.fitness.catalogue import load_catalogue
from domain.fitness.catalogue import Catalogue


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()
