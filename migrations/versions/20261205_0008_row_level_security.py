"""row-level security on every table: an account sees its own rows; paths before an account, what they need

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 07:50:00+00:00

Each owned table gets one policy for every command, `owner_id` (an account's `id`) equal to the account the
transaction acts for (`atrium.account_id`, set by the unit of work). The paths that act before an account is known
get policies of their own, on the tables and commands they need only, open while `atrium.purpose` names them
(docs/decisions.md, "Row-level security"). RLS is forced, so a table's owner is held to the policies too (a superuser
or a BYPASSRLS role is not). `alembic_version` is enabled but not forced: Alembic, as the owner, keeps writing it.
"""
from typing import Sequence, Union

from alembic import op

revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ACCOUNT = "nullif(current_setting('atrium.account_id', true), '')::uuid"
OWNED = (
    "api_keys", "api_key_usage", "calendar_feeds", "calendar_webhooks", "categories", "budgets", "expenses",
    "delivery_sources", "delivery_changes", "delivery_deployed_commits", "delivery_deployments", "delivery_incidents",
    "delivery_states", "delivery_syncs", "events", "notes", "notifications", "reminders", "fitness_llm_usage",
    "fitness_plan_cache", "fitness_profiles", "intake_logs", "meal_plans", "weight_entries", "workout_plans",
    "workout_plan_versions", "workout_plan_weeks", "workout_sessions", "image_generations",
    "image_idempotency_keys", "refresh_tokens", "sessions",
)
# (table, command, purpose): what each path acting before an account reaches (application Purpose, or an adapter's).
PURPOSES = (
    ("accounts", "SELECT", "login"),
    ("refresh_tokens", "SELECT", "refresh"),
    ("api_keys", "SELECT", "api_key"),
    ("calendar_feeds", "SELECT", "feed"),
    ("reminders", "SELECT", "dispatch"), ("reminders", "UPDATE", "dispatch"), ("events", "SELECT", "dispatch"),
    ("delivery_sources", "SELECT", "sync"), ("delivery_syncs", "SELECT", "sync"),
    ("delivery_syncs", "INSERT", "sync"), ("delivery_syncs", "UPDATE", "sync"),
    ("workout_plans", "SELECT", "adapt"), ("workout_plan_weeks", "SELECT", "adapt"),
    ("events", "SELECT", "purge"), ("events", "UPDATE", "purge"), ("events", "DELETE", "purge"),
    ("fitness_plan_cache", "SELECT", "purge"), ("fitness_plan_cache", "DELETE", "purge"),
    ("image_idempotency_keys", "SELECT", "purge"), ("image_idempotency_keys", "DELETE", "purge"),
    ("sessions", "SELECT", "ended_sessions"),  # the ended-session feed: ids of sessions ended lately
    ("rate_limits", "ALL", "rate_limit"),  # no owner: the limiter's upsert, read and sweep
    ("alembic_version", "SELECT", "readiness"),  # the revision /ready compares
)


def _purpose(name: str) -> str:
    return f"current_setting('atrium.purpose', true) = '{name}'"


def upgrade() -> None:
    """Upgrade schema."""
    for table in ("accounts", *OWNED, "rate_limits"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE alembic_version ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY accounts_own ON accounts USING (id = {ACCOUNT}) WITH CHECK (id = {ACCOUNT})")
    for table in OWNED:
        op.execute(f"CREATE POLICY {table}_own ON {table} "
                   f"USING (owner_id = {ACCOUNT}) WITH CHECK (owner_id = {ACCOUNT})")
    for table, command, purpose in PURPOSES:
        check = "WITH CHECK" if command == "INSERT" else "USING"
        op.execute(f"CREATE POLICY {table}_{purpose}_{command.lower()} ON {table} FOR {command} "
                   f"{check} ({_purpose(purpose)})")


def downgrade() -> None:
    """Downgrade schema."""
    for table, command, purpose in PURPOSES:
        op.execute(f"DROP POLICY {table}_{purpose}_{command.lower()} ON {table}")
    for table in ("accounts", *OWNED):
        op.execute(f"DROP POLICY {table}_own ON {table}")
    op.execute("ALTER TABLE alembic_version DISABLE ROW LEVEL SECURITY")
    for table in ("accounts", *OWNED, "rate_limits"):
        op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
