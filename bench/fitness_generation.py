"""The fitness rules generators: a workout plan and a 7-day meal plan, through Atrium's `rules` adapter against the
bare domain function.

Run: `.venv/bin/python bench/fitness_generation.py [--runs 300]`. No database: generation reads only the profile and
the catalogue (loaded once, as the app does). Twelve profiles of different experience, equipment, training days,
session lengths, diets and meals a day take turns; for each, alternating, `--runs` times in all:

- atrium: `RulesPlanGenerator.workout` / `.meals` (adapters/fitness/rules_generator.py) awaited on uvloop, as
  `PlanMaker` calls it: the domain function in a worker thread (`asyncio.to_thread`);
- bare Python: `generate_workout` / `plan_meals` (domain/fitness) called directly.

Prints p50, p99 and max per variant as a Markdown table and writes it to bench/results/<date>-fitness-generation.md.
The issue asks for p99 under 50 ms.
"""

import argparse
import asyncio
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import uvloop  # noqa: E402

from adapters.clock import SystemClock  # noqa: E402
from adapters.fitness.catalogue import load_catalogue  # noqa: E402
from adapters.fitness.rules_generator import RulesPlanGenerator  # noqa: E402
from domain.fitness.energy import energy_targets  # noqa: E402
from domain.fitness.meal_planner import plan_meals  # noqa: E402
from domain.fitness.meals import MealRequest  # noqa: E402
from domain.fitness.profile import Profile  # noqa: E402
from domain.fitness.workout import WorkoutRequest  # noqa: E402
from domain.fitness.workout_rules import generate_workout  # noqa: E402

TODAY = date(2026, 3, 16)
GYM = ["barbell", "dumbbell", "cable", "machine"]
VARIANTS = [  # experience, equipment, days, minutes, diet, meals, sex, kg, goal
    ("beginner", [], 2, 70, "omnivore", 3, "male", 80, "maintain"),
    ("beginner", ["dumbbell"], 3, 60, "vegetarian", 4, "female", 62, "lose"),
    ("intermediate", GYM, 4, 60, "pescatarian", 3, "female", 68, "lose"),
    ("intermediate", GYM, 5, 75, "omnivore", 5, "male", 85, "gain"),
    ("intermediate", ["barbell", "dumbbell"], 6, 90, "omnivore", 4, "male", 95, "lose"),
    ("advanced", GYM, 4, 90, "vegetarian", 3, "male", 78, "maintain"),
    ("advanced", GYM + ["kettlebells", "bands"], 6, 120, "pescatarian", 5, "female", 60, "gain"),
    ("advanced", ["barbell"], 3, 90, "vegan", 3, "female", 55, "maintain"),
    ("beginner", GYM, 4, 60, "vegan", 4, "male", 70, "gain"),
    ("intermediate", ["kettlebells", "dumbbell"], 3, 60, "omnivore", 2, "female", 72, "lose"),
    ("beginner", ["machine", "cable"], 5, 60, "pescatarian", 3, "male", 110, "lose"),
    ("intermediate", GYM, 2, 90, "vegetarian", 5, "female", 58, "maintain"),
]


def profiles() -> list[Profile]:
    foods = load_catalogue().food_ids()
    return [Profile.create(
        today=TODAY, food_ids=foods, sex=sex, birth_date=date(1990, 6, 1), height_cm=172, weight_kg=kg,
        activity_level="moderate", goal=goal, experience=experience, equipment=equipment,
        training_days_per_week=days, session_minutes=minutes, diet=diet, meals_per_day=meals,
    ) for experience, equipment, days, minutes, diet, meals, sex, kg, goal in VARIANTS]


async def measure(runs: int) -> dict[str, list[float]]:
    catalogue, rules, people = load_catalogue(), RulesPlanGenerator(), profiles()
    workout, week = WorkoutRequest(8), MealRequest(7, TODAY)
    energies = [energy_targets(person, TODAY) for person in people]

    async def timed(operation: Callable[[], object]) -> float:
        started = time.perf_counter()
        result = operation()
        if asyncio.iscoroutine(result):
            await result
        return time.perf_counter() - started

    seconds: dict[str, list[float]] = {name: [] for name in ("atrium workout", "bare workout", "atrium meals",
                                                             "bare meals")}
    for n in range(runs + len(people)):  # the first round is a warm-up
        person, energy = people[n % len(people)], energies[n % len(people)]
        pairs = {
            "atrium workout": lambda: rules.workout(person, workout, catalogue),
            "bare workout": lambda: generate_workout(person, workout, catalogue),
            "atrium meals": lambda: rules.meals(person, energy, week, catalogue),
            "bare meals": lambda: plan_meals(person, energy, week, catalogue),
        }
        for name, operation in pairs.items():
            spent = await timed(operation)
            if n >= len(people):
                seconds[name].append(spent)
    return seconds


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(seconds: dict[str, list[float]], runs: int) -> str:
    rows = []
    for name, values in seconds.items():
        p50, p99, top = (percentile(values, 0.5) * 1000, percentile(values, 0.99) * 1000, max(values) * 1000)
        bare = seconds[name.replace("atrium", "bare")]
        ratio = statistics.median(values) / statistics.median(bare)
        label = {"atrium workout": "atrium: RulesPlanGenerator.workout (thread, uvloop)",
                 "bare workout": "bare Python: generate_workout", "atrium meals": "atrium: RulesPlanGenerator.meals "
                 "(7 days; thread, uvloop)", "bare meals": "bare Python: plan_meals (7 days)"}[name]
        rows.append(f"| {label} | {p50:.2f} | {p99:.2f} | {top:.2f} | {ratio:.2f} |")
    return "\n".join([
        f"# Fitness plan generation, rules ({SystemClock().now().date()})",
        "",
        f"{len(VARIANTS)} profiles in turn (beginner to advanced, 2-6 training days, no equipment to a full gym; every "
        "diet, 2-5 meals a day), an 8-week workout plan and a 7-day meal plan each, "
        f"{runs} runs per variant after a warm-up round, alternating. {platform.python_implementation()} "
        f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs. p99 must stay under 50 ms.",
        "",
        "| variant | p50 ms | p99 ms | max ms | median ÷ bare |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()
    seconds = uvloop.run(measure(args.runs))
    text = report(seconds, args.runs)
    print(text)
    out = ROOT / "bench" / "results" / f"{SystemClock().now().date()}-fitness-generation.md"
    out.write_text(text)
    print(f"written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
