"""Tables of the identity context: accounts, sessions and refresh tokens, API keys, usage, rate limits."""

from sqlalchemy import (
    BigInteger, Boolean, Column, Date, ForeignKey, Index, Integer, PrimaryKeyConstraint, Table, Text, Uuid, text,
)

from adapters.postgres.tables.base import metadata, owner_column, timestamp

accounts = Table(
    "accounts", metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", Text, nullable=False, unique=True),
    Column("username", Text, nullable=False, unique=True),
    Column("full_name", Text),
    Column("password_hash", Text, nullable=False),
    Column("is_active", Boolean, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    Column("time_zone", Text, nullable=False),
    Column("currency", Text, nullable=False),
)

refresh_tokens = Table(
    "refresh_tokens", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("family_id", Uuid, nullable=False),
    Column("token_hash", Text, nullable=False, unique=True),
    timestamp("issued_at"),
    timestamp("expires_at"),
    timestamp("spent_at", nullable=True),
    timestamp("revoked_at", nullable=True),
    Index(None, "owner_id", "family_id"),
)

# One row per login. `ended_xact` is the id of the transaction that ended it: each process polls for ends by
# transaction id from the oldest one still running at its last poll (adapters/postgres/ended_sessions.py), so an
# end committed out of order is never skipped.
sessions = Table(
    "sessions", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    timestamp("started_at"),
    Column("client_address", Text),
    timestamp("ended_at", nullable=True),
    Column("ended_xact", BigInteger),
    Index(None, "owner_id", "client_address", "started_at"),
    Index(None, "ended_xact", postgresql_where=text("ended_xact IS NOT NULL")),
    Index(None, "ended_at", postgresql_where=text("ended_at IS NOT NULL")),
)


api_keys = Table(
    "api_keys", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("name", Text, nullable=False),
    Column("key_hash", Text, nullable=False, unique=True),
    Column("prefix", Text, nullable=False),
    Column("daily_quota", Integer, nullable=False),
    timestamp("created_at"),
    timestamp("expires_at", nullable=True),
    timestamp("last_used_at", nullable=True),
    timestamp("revoked_at", nullable=True),
    Column("previous_key_hash", Text, unique=True),
    timestamp("previous_expires_at", nullable=True),
    Index(None, "owner_id", "created_at"),
)

api_key_usage = Table(
    "api_key_usage", metadata,
    owner_column(),
    Column("api_key_id", Uuid, ForeignKey("api_keys.id", ondelete="CASCADE"), nullable=False),
    Column("usage_date", Date, nullable=False),
    Column("used", Integer, nullable=False),
    Column("quota", Integer, nullable=False),
    PrimaryKeyConstraint("api_key_id", "usage_date"),
    Index(None, "owner_id", "usage_date"),
)

# GCRA state of shared rate limits: one theoretical arrival time per limited key (an IP, a login, an API key).
rate_limits = Table(
    "rate_limits", metadata,
    Column("key", Text, primary_key=True),
    timestamp("tat"),
    Index(None, "tat"),
)
