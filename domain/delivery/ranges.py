"""Which deployments still need their commit range (the commits each added to production) from the provider."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from domain.delivery.attribution import Shipped


@dataclass(frozen=True, slots=True)
class RangeRequest:
    """Ask for the commits `head` adds to `base` (the previous production deployment's commit; None for the first)."""

    deployment_key: str
    base: str | None
    head: str


def missing_ranges(production: Sequence[Shipped], known: Collection[str]) -> list[RangeRequest]:
    """A request for each production deployment (in finish order) whose key is not in `known`."""
    requests = []
    for index, deployment in enumerate(production):
        if deployment.key not in known:
            base = production[index - 1].commit if index else None
            requests.append(RangeRequest(deployment.key, base, deployment.commit))
    return requests
