"""Real resources for an account, made by walking the API's creating POST operations, and the OpenAPI read as data."""

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from adapters.clock import SettableClock, SystemClock

# A known-good body for every POST that creates something (201), in dependency order; `{kind_id}` is filled
# with an id of that kind made earlier. A new creating route must be added here or to NOT_CREATING.
CREATE_BODIES: dict[str, dict[str, Any]] = {
    "/api/v1/api-keys": {"name": "probe"},
    "/api/v1/images/generations": {"prompt": "a lighthouse at dusk", "width": 64, "height": 64},
    "/api/v1/categories": {"name": "Probe"},
    "/api/v1/expenses": {"amount": "12.50", "category_id": "{category_id}", "tags": ["probe"]},
    "/api/v1/budgets": {"amount": "100.00", "period": "monthly", "category_id": "{category_id}"},
    "/api/v1/events": {"title": "Probe", "start_time": "2030-01-01T09:00:00Z", "end_time": "2030-01-01T10:00:00Z"},
    "/api/v1/events/{event_id}/reminders": {"minutes_before": 10},
    "/api/v1/events/{event_id}/notes": {"body": "a note"},
    "/api/v1/weight-entries": {"date": "2026-01-01", "weight_kg": 70.5},
    "/api/v1/intake-logs": {"date": "2026-01-01", "kcal": 2100, "protein_g": 110},
    "/api/v1/workout-plans": {"weeks": 6},
    "/api/v1/workout-plans/{workout_plan_id}/adaptations": {},
    "/api/v1/workout-sessions": {"plan_id": "{workout_plan_id}", "day": 2, "performed_on": "2026-01-01",
                                 "sets": [{"exercise_id": "Barbell_Squat", "reps": 8, "weight_kg": 60}]},
    "/api/v1/meal-plans": {"days": 2},
    "/api/v1/meal-plans/{meal_plan_id}/adaptations": {},
    "/api/v1/delivery/sources": {"kind": "git", "path": "/tmp/atrium-live-repos/app"},  # LIVE_SETTINGS' git root
}
FITNESS_PROFILE = {
    "sex": "female", "birth_date": "1990-05-01", "height_cm": 168, "weight_kg": 65, "activity_level": "moderate",
    "goal": "maintain", "experience": "intermediate", "equipment": ["barbell", "dumbbell", "cable", "machine"],
    "training_days_per_week": 4, "session_minutes": 60, "diet": "omnivore", "excluded_foods": [], "meals_per_day": 3,
}
# What an account sets up before it can create (a fitness profile before plans), in order.
SETUP_REQUESTS: list[tuple[str, str, dict[str, Any]]] = [("PUT", "/api/v1/fitness-profile", FITNESS_PROFILE)]
# Ids every account shares (the fitness catalogue): another account reading them is no breach.
SHARED_KINDS = {"exercise": "Barbell_Squat", "food": "chicken_breast"}
# The error a create body gets for an id of another account (the id is in the body: a bad value there, not a 404).
BODY_ID_ERRORS = {"category_id": "unknown_category", "plan_id": "unknown_workout_plan"}
# How the n-th extra copy of a resource differs from the first, where the API refuses a duplicate.
DISTINCT_COPIES: dict[str, Callable[[int], dict[str, Any]]] = {
    "/api/v1/categories": lambda n: {"name": f"Probe {n}"},
    "/api/v1/budgets": lambda n: {"start_date": f"{2000 + n}-01-01", "end_date": f"{2000 + n}-12-31"},
    "/api/v1/events/{event_id}/reminders": lambda n: {"minutes_before": 10 + n},
    "/api/v1/events": lambda n: {"recurrence": "RRULE:FREQ=WEEKLY"} if n % 2 else {},  # some series among them
    "/api/v1/weight-entries": lambda n: {"date": f"2025-01-{n:02d}"},  # one a day: a same-day copy replaces
    "/api/v1/intake-logs": lambda n: {"date": f"2025-01-{n:02d}"},
}
NOT_CREATING = {
    "/api/v1/auth/register": "accounts are the fixture accounts themselves",
    "/api/v1/events/import": "multipart iCalendar: makes events, which POST /events covers",
    "/api/v1/calendar-feed": "one per account, addressed by a secret token, not an id",
}
# What a creating path makes, where its last segment does not say it.
KIND_OF_PATH = {"/api/v1/images/generations": "image"}
# Bodies for id operations whose body has required fields (the probe must pass validation to reach the lookup).
PROBE_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/v1/reminders/{reminder_id}/snooze"): {"minutes": 10},
    ("PATCH", "/api/v1/notes/{note_id}"): {"body": "changed"},
    ("PUT", "/api/v1/fitness-profile"): FITNESS_PROFILE,
}

ID_PARAMETER = re.compile(r"\{(\w*id)\}")
METHODS = ("get", "put", "post", "delete", "patch")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    raw: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def schemes(self) -> list[str | None]:
        """The security schemes it accepts, one per alternative; [None] when public."""
        return [next(iter(requirement), None) for requirement in self.raw.get("security") or [{}]]

    @property
    def preferred_scheme(self) -> str | None:
        """A user token where accepted (it leaves no trace, unlike an API key's last use), else the first."""
        return "OAuth2PasswordBearer" if "OAuth2PasswordBearer" in self.schemes else self.schemes[0]

    @property
    def id_parameters(self) -> list[str]:
        return ID_PARAMETER.findall(self.path)

    @property
    def other_parameters(self) -> list[str]:
        """Path parameters that do not name an id (a feed token): nothing here can fill them."""
        return [name for name in re.findall(r"\{(\w+)\}", self.path) if name not in self.id_parameters]

    @property
    def media_types(self) -> list[str]:
        return list(self.raw.get("requestBody", {}).get("content", {}))

    def documents(self, status: int) -> bool:
        return str(status) in self.raw.get("responses", {})


def first_scheme(raw_operation: dict[str, Any]) -> str | None:
    """The security scheme of the operation's first requirement (None when public)."""
    return next(iter((raw_operation.get("security") or [{}])[0]), None)


def operations(openapi: dict[str, Any]) -> list[Operation]:
    return [Operation(method.upper(), path, raw) for path, item in openapi["paths"].items()
            for method, raw in item.items() if method in METHODS]


def kind_of(creating_path: str) -> str:
    """`/api/v1/api-keys` -> `api_key`, `/events/{event_id}/notes` -> `note`."""
    if creating_path in KIND_OF_PATH:
        return KIND_OF_PATH[creating_path]
    segment = [part for part in creating_path.split("/") if part and not part.startswith("{")][-1]
    noun = segment.replace("-", "_")
    return noun[:-3] + "y" if noun.endswith("ies") else noun.removesuffix("s")


def kind_of_parameter(parameter: str) -> str:
    return parameter.removesuffix("_id") or "id"


def fill(value: Any, ids: dict[str, list[str]]) -> Any:
    """Replace `{kind_id}` placeholders in a path or body with the first id of that kind."""
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    if isinstance(value, str):
        return ID_PARAMETER.sub(lambda match: ids[kind_of_parameter(match.group(1))][0], value)
    return value


def create_resources(live, client: httpx.Client, openapi: dict[str, Any], owner,
                     ids: dict[str, list[str]] | None = None, copy: int = 0) -> dict[str, list[str]]:
    """One resource per creating route (and per seeder) for `owner`; their ids by kind, added to `ids` (what an
    earlier call returned) if given. Copy `copy` > 0 differs from the first where the API forbids duplicates
    (DISTINCT_COPIES)."""
    ids = defaultdict(list) if ids is None else ids
    for method, path, body in SETUP_REQUESTS:
        response = client.request(method, path, json=body, headers=owner.user)
        assert response.status_code < 300, (path, response.status_code, response.text)
    creating = {op.path: op for op in operations(openapi) if op.method == "POST"}
    for path, body in CREATE_BODIES.items():
        if path not in creating:
            continue  # the route is gone
        body = fill(body, ids) | (DISTINCT_COPIES[path](copy) if copy and path in DISTINCT_COPIES else {})
        response = client.post(fill(path, ids), json=body, headers=owner.headers(creating[path].schemes[0]))
        assert response.status_code == 201, (path, response.status_code, response.text)
        ids[kind_of(path)].append(response.json()["id"])
    wanted = {kind_of_parameter(p) for op in operations(openapi) for p in op.id_parameters}
    for kind, seed in SEEDERS.items():
        if kind in wanted:
            ids[kind] = seed(live, client, owner)
    return ids


def seed_notifications(live, client: httpx.Client, owner) -> list[str]:
    """Notifications come from reminders, not a POST: a reminder due in a minute, then a dispatch pass run later."""
    now = SystemClock().now()
    start = now + timedelta(minutes=2)
    event = client.post("/api/v1/events", headers=owner.user, json={
        "title": "soon", "start_time": start.isoformat(), "end_time": (start + timedelta(hours=1)).isoformat()})
    assert event.status_code == 201, event.text
    reminder = client.post(f"/api/v1/events/{event.json()['id']}/reminders", headers=owner.user,
                           json={"minutes_before": 1})
    assert reminder.status_code == 201, reminder.text
    live.run(live.container.calendar.dispatch_reminders(clock=SettableClock(now + timedelta(minutes=5)))())
    return [item["id"] for item in client.get("/api/v1/notifications", headers=owner.user).json()["items"]]


def seed_syncs(live, client: httpx.Client, owner) -> list[str]:
    """A sync (202, not 201) of the owner's first source, run to its end (the repository is missing: it fails)."""
    source = client.get("/api/v1/delivery/sources", headers=owner.user).json()["items"][0]
    sync = client.post(f"/api/v1/delivery/sources/{source['id']}/syncs", headers=owner.user)
    assert sync.status_code == 202, sync.text
    live.run(live.container.delivery.run_syncs()())
    return [sync.json()["id"]]


SEEDERS = {"notification": seed_notifications, "sync": seed_syncs,
           **{kind: lambda live, client, owner, shared=shared: [shared] for kind, shared in SHARED_KINDS.items()}}
