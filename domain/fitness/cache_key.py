"""Cache keys: a stable hash of a generation's canonical inputs, so the same inputs find the same plan."""

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TypeAlias, Union

from domain.fitness.catalogue import Catalogue
from domain.fitness.energy import Energy
from domain.fitness.meals import MealRequest
from domain.fitness.profile import Profile
from domain.fitness.workout import WorkoutRequest

Canonical: TypeAlias = Union[str, int, float, bool, None, date, Sequence["Canonical"], Mapping[str, "Canonical"]]


def canonical_json(value: Canonical) -> str:
    """JSON with sorted keys, no spaces, dates as ISO text, floats in their shortest exact form."""
    return json.dumps(_plain(value), sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)


def generation_key(
    *, kind: str, generator: str, version: str, catalogue: Catalogue, inputs: Mapping[str, Canonical],
    request: Mapping[str, Canonical],
) -> str:
    """SHA-256 (hex) of what a generation depends on: its kind, the generator and its version, the
    catalogue's data, the profile values it reads and the request."""
    return hashlib.sha256(canonical_json({
        "kind": kind, "generator": generator, "version": version, "catalogue": catalogue.version,
        "inputs": inputs, "request": request,
    }).encode()).hexdigest()


def workout_key(
    profile: Profile, request: WorkoutRequest, *, generator: str, version: str, catalogue: Catalogue,
) -> str:
    """The key of a workout generation: experience, equipment, training days and session minutes, and weeks."""
    inputs: dict[str, Canonical] = {
        "experience": profile.experience, "equipment": list(profile.equipment),
        "training_days_per_week": profile.training_days_per_week, "session_minutes": profile.session_minutes,
    }
    return generation_key(
        kind="workout", generator=generator, version=version, catalogue=catalogue, inputs=inputs,
        request={"weeks": request.weeks},
    )


def meal_key(
    profile: Profile, energy: Energy, request: MealRequest, *, generator: str, version: str, catalogue: Catalogue,
) -> str:
    """The key of a meal generation: diet, exclusions, meals a day, the day's targets, and the days asked for."""
    inputs: dict[str, Canonical] = {
        "diet": profile.diet, "excluded_foods": list(profile.excluded_foods), "meals_per_day": profile.meals_per_day,
        "target_kcal": energy.target_kcal, "protein_g": energy.protein_g, "carbs_g": energy.carbs_g,
        "fat_g": energy.fat_g,
    }
    return generation_key(
        kind="meals", generator=generator, version=version, catalogue=catalogue, inputs=inputs,
        request={"days": request.days, "start_date": request.start_date},
    )


def _plain(value: Canonical) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, str) or not isinstance(value, Sequence):
        return str(value) if isinstance(value, str) else value
    return [_plain(item) for item in value]
