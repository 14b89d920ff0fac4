"""Helpers for the fitness API tests: a profile, a plan, a session."""

from typing import Any

PROFILE: dict[str, Any] = {
    "sex": "female", "birth_date": "1990-05-01", "height_cm": 168, "weight_kg": 65, "activity_level": "moderate",
    "goal": "lose", "experience": "intermediate", "equipment": ["barbell", "dumbbell", "cable", "machine"],
    "training_days_per_week": 4, "session_minutes": 60, "diet": "omnivore", "excluded_foods": [], "meals_per_day": 3,
}
API = "/api/v1"


async def put_profile(api, headers, **changes: Any) -> dict[str, Any]:
    answer = await api.put(f"{API}/fitness-profile", headers=headers, json=PROFILE | changes)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def create_plan(api, headers, **body: Any) -> dict[str, Any]:
    answer = await api.post(f"{API}/workout-plans", headers=headers, json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


async def log_session(api, headers, plan: dict[str, Any], day: int, performed_on: str, reps: int,
                      weight_kg: float) -> dict[str, Any]:
    """Every exercise of the day done in three sets of `reps` at `weight_kg`."""
    sets = [{"exercise_id": item["exercise_id"], "reps": reps, "weight_kg": weight_kg}
            for item in plan["days"][day - 1]["exercises"] for _ in range(3)]
    answer = await api.post(f"{API}/workout-sessions", headers=headers,
                            json={"plan_id": plan["id"], "day": day, "performed_on": performed_on, "sets": sets})
    assert answer.status_code == 201, answer.text
    return answer.json()
