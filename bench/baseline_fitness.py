"""The floor's workout plan (the read behind today's workout): the plan and its current version in one statement
on asyncpg, the stored draft (JSONB) passed to Python as text and reshaped into the answer, encoded once."""

import json
from typing import Any

import asyncpg

from domain.fitness.values import round_half_up
from domain.fitness.workout import DELOAD_SET_SHARE

PLAN = """
SELECT p.id, p.name, p.version, p.auto_adapt, p.generator, p.fallback_reason, p.llm_requests, p.llm_input_tokens,
       p.llm_output_tokens, p.created_at, p.updated_at, v.draft::text AS draft, v.reason, v.changes::text AS changes
FROM workout_plans p JOIN workout_plan_versions v ON v.plan_id = p.id AND v.version = p.version
WHERE p.id = $1 AND p.owner_id = $2"""


def _exercise(item: dict[str, Any]) -> dict[str, Any]:
    load = item["load_kg"]
    return {"exercise_id": item["exercise_id"], "name": item["name"], "sets": item["sets"],
            "deload_sets": max(1, int(round_half_up(item["sets"] * DELOAD_SET_SHARE))), "rep_min": item["rep_min"],
            "rep_max": item["rep_max"], "rir": item["rir"], "rest_seconds": item["rest_seconds"],
            "load_kg": None if load is None else float(load)}


async def workout_plan(pool: asyncpg.Pool, owner, plan_id) -> bytes | None:
    """The answer to GET /api/v1/workout-plans/{id} (current version), None when the owner has no such plan."""
    row = await pool.fetchrow(PLAN, plan_id, owner)
    if row is None:
        return None
    draft = json.loads(row["draft"])
    usage = None if row["llm_requests"] is None else {
        "requests": row["llm_requests"], "input_tokens": row["llm_input_tokens"],
        "output_tokens": row["llm_output_tokens"]}
    return json.dumps({
        "id": str(row["id"]), "name": row["name"], "version": row["version"], "current_version": row["version"],
        "auto_adapt": row["auto_adapt"], "generator": row["generator"], "fallback_reason": row["fallback_reason"],
        "usage": usage, "split": draft["split"], "weeks": draft["weeks"], "deload_weeks": draft["deload_weeks"],
        "days": [{"day": day["day"], "focus": day["focus"], "exercises": [_exercise(i) for i in day["exercises"]]}
                 for day in draft["days"]],
        "weekly_sets_by_muscle": {group: float(sets) for group, sets in draft["weekly_sets_by_muscle"].items()},
        "reason": row["reason"], "changes": json.loads(row["changes"]),
        "created_at": row["created_at"].isoformat(), "updated_at": row["updated_at"].isoformat(),
    }).encode()
