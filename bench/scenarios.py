"""The benchmark's scenarios: the same request lines go to Atrium and to the baseline."""

import json
from collections.abc import Callable
from dataclasses import dataclass

from bench.seed import DELIVERY_OWNERS, PASSWORD, Owner


@dataclass(frozen=True)
class Scenario:
    name: str
    requests: Callable[[list[Owner]], list[str]]
    target: Callable[[int], str]


def line(method: str, path: str, headers: dict[str, str], body: dict | None = None) -> str:
    header_text = "|".join(f"{k}:{v}" for k, v in headers.items())
    return "\t".join([method, path, header_text, json.dumps(body) if body is not None else ""])


def bearer(owner: Owner) -> dict[str, str]:
    return {"Authorization": f"Bearer {owner.token}"}


JSON = {"Content-Type": "application/json"}


def get_event(owners: list[Owner]) -> list[str]:
    return [line("GET", f"/api/v1/events/{event_id}", bearer(o)) for o in owners for event_id in o.event_ids]


def list_events(owners: list[Owner]) -> list[str]:
    window = "from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&limit=50"
    return [line("GET", f"/api/v1/events?{window}", bearer(o)) for o in owners]


def create_expense(owners: list[Owner]) -> list[str]:
    return [line("POST", "/api/v1/expenses", {**bearer(o), **JSON},
                 {"amount": "12.50", "category_id": str(o.category_id), "date": "2026-01-15",
                  "description": "benchmark lunch", "payment_method": "card"}) for o in owners]


def generate_image(owners: list[Owner]) -> list[str]:
    return [line("POST", "/api/v1/images/generations", {"X-API-Key": o.api_key, **JSON},
                 {"prompt": f"a lighthouse at dusk {o.index}", "width": 64, "height": 64, "format": "png"})
            for o in owners]


def login(owners: list[Owner]) -> list[str]:
    return [line("POST", "/api/v1/auth/login", JSON, {"email": o.email, "password": PASSWORD}) for o in owners]


def workout_plan(owners: list[Owner]) -> list[str]:
    """A workout plan at its current version (what a client reads to show today's workout)."""
    return [line("GET", f"/api/v1/workout-plans/{o.workout_plan_id}", bearer(o)) for o in owners
            if o.workout_plan_id is not None]


def delivery_metrics(owners: list[Owner]) -> list[str]:
    """The four DORA metrics over 90 days with weekly series, for the owners that have delivery records."""
    period = "from=2023-05-10&to=2023-08-07&time_zone=UTC&granularity=week"
    return [line("GET", f"/api/v1/delivery/metrics?{period}", bearer(o)) for o in owners[:DELIVERY_OWNERS]]


ALL = [  # the targets of issue 18, with Atrium as `make run` starts it (JSON access log on)
    Scenario("get_event", get_event, lambda c: "≥ 0.75×, p99 ≤ 10 ms" if c == 16 else "≥ 0.75×"),
    Scenario("list_events", list_events, lambda c: "≥ 0.6×"),
    Scenario("create_expense", create_expense, lambda c: "≥ 0.7×"),
    Scenario("generate_image", generate_image, lambda c: "≥ 0.75×"),
    Scenario("login", login, lambda c: "≥ 0.9× (Argon2-bound)"),
    Scenario("workout_plan", workout_plan, lambda c: "≥ 0.6×"),
    Scenario("delivery_metrics", delivery_metrics, lambda c: "≥ 0.6×"),
]
