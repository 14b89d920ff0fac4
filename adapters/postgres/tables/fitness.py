"""Tables of the fitness context: profiles, weigh-ins and intake, workout plans with versions, adaptation weeks and
sessions, meal plans, the plan cache and LLM usage. Drafts are JSONB documents (adapters/postgres/fitness/drafts.py)."""

from typing import Any

from sqlalchemy import (
    Boolean, Column, Date, Double, ForeignKey, ForeignKeyConstraint, Index, Integer, PrimaryKeyConstraint, Table, Text,
    UniqueConstraint, Uuid, text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from adapters.postgres.tables.base import metadata, owner_column, timestamp


def _provenance() -> list[Column[Any]]:
    """How a plan was made: generator, why the rules answered an LLM request, the LLM's requests and tokens."""
    return [
        Column("generator", Text, nullable=False),
        Column("fallback_reason", Text),
        Column("llm_requests", Integer),
        Column("llm_input_tokens", Integer),
        Column("llm_output_tokens", Integer),
    ]


fitness_profiles = Table(
    "fitness_profiles", metadata,
    Column("owner_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("sex", Text, nullable=False),
    Column("birth_date", Date, nullable=False),
    Column("height_cm", Double, nullable=False),
    Column("weight_kg", Double, nullable=False),
    Column("activity_level", Text, nullable=False),
    Column("goal", Text, nullable=False),
    Column("weekly_rate_kg", Double, nullable=False),
    Column("experience", Text, nullable=False),
    Column("equipment", ARRAY(Text), nullable=False),
    Column("training_days_per_week", Integer, nullable=False),
    Column("session_minutes", Integer, nullable=False),
    Column("diet", Text, nullable=False),
    Column("excluded_foods", ARRAY(Text), nullable=False),
    Column("meals_per_day", Integer, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
)

weight_entries = Table(
    "weight_entries", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("day", Date, nullable=False),
    Column("weight_kg", Double, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    UniqueConstraint("owner_id", "day"),  # pages and the year read walk it
)

intake_logs = Table(
    "intake_logs", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("day", Date, nullable=False),
    Column("kcal", Double, nullable=False),
    Column("protein_g", Double),
    timestamp("created_at"),
    timestamp("updated_at"),
    UniqueConstraint("owner_id", "day"),
)

workout_plans = Table(
    "workout_plans", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("name", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("auto_adapt", Boolean, nullable=False),
    *_provenance(),
    timestamp("created_at"),
    timestamp("updated_at"),
    UniqueConstraint("owner_id", "id"),  # the target of (owner_id, plan_id) foreign keys
    Index(None, "id", postgresql_where=text("auto_adapt")),  # what the weekly adaptation walks
)

workout_plan_versions = Table(
    "workout_plan_versions", metadata,
    Column("plan_id", Uuid, nullable=False),
    Column("version", Integer, nullable=False),
    owner_column(),
    Column("draft", JSONB, nullable=False),
    Column("reason", Text, nullable=False),
    Column("changes", JSONB, nullable=False),
    timestamp("created_at"),
    PrimaryKeyConstraint("plan_id", "version"),
    ForeignKeyConstraint(["owner_id", "plan_id"], ["workout_plans.owner_id", "workout_plans.id"], ondelete="CASCADE"),
)

# One row per plan and ISO week it was adapted automatically in: the key that makes the weekly pass idempotent.
workout_plan_weeks = Table(
    "workout_plan_weeks", metadata,
    Column("plan_id", Uuid, nullable=False),
    Column("week", Text, nullable=False),
    owner_column(),
    timestamp("created_at"),
    PrimaryKeyConstraint("plan_id", "week"),
    ForeignKeyConstraint(["owner_id", "plan_id"], ["workout_plans.owner_id", "workout_plans.id"], ondelete="CASCADE"),
)

workout_sessions = Table(
    "workout_sessions", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("plan_id", Uuid, nullable=False),
    Column("plan_version", Integer, nullable=False),
    Column("day", Integer, nullable=False),
    Column("performed_on", Date, nullable=False),
    Column("sets", JSONB, nullable=False),
    timestamp("created_at"),
    ForeignKeyConstraint(["owner_id", "plan_id"], ["workout_plans.owner_id", "workout_plans.id"], ondelete="CASCADE"),
    Index(None, "owner_id", "id"),
    Index(None, "plan_id", "performed_on", "id"),
)

meal_plans = Table(
    "meal_plans", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("version", Integer, nullable=False),
    Column("draft", JSONB, nullable=False),
    *_provenance(),
    timestamp("created_at"),
    timestamp("updated_at"),
    Index(None, "owner_id", "id"),
)

fitness_plan_cache = Table(
    "fitness_plan_cache", metadata,
    owner_column(),
    Column("key", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("draft", JSONB, nullable=False),
    timestamp("expires_at"),
    PrimaryKeyConstraint("owner_id", "key"),
    Index(None, "expires_at"),
)

# LLM generations (the guarded daily counter) and their requests and tokens, per account and UTC day.
fitness_llm_usage = Table(
    "fitness_llm_usage", metadata,
    owner_column(),
    Column("usage_date", Date, nullable=False),
    Column("plans", Integer, nullable=False),
    Column("requests", Integer, nullable=False),
    Column("input_tokens", Integer, nullable=False),
    Column("output_tokens", Integer, nullable=False),
    PrimaryKeyConstraint("owner_id", "usage_date"),
)
