"""Every table, declared once; Alembic autogenerates migrations from this metadata."""

from sqlalchemy import (
    BigInteger, Boolean, Column, DateTime, ForeignKey, Index, MetaData, Table, Text, Uuid, text,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


def timestamp(name: str, *, nullable: bool = False) -> Column:
    return Column(name, DateTime(timezone=True), nullable=nullable)


def owner_column() -> Column:
    return Column("owner_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False)


# --- identity ---------------------------------------------------------------

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


# --- api access and imaging -------------------------------------------------

from sqlalchemy import BigInteger, Date, Integer, PrimaryKeyConstraint  # noqa: E402

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

image_generations = Table(
    "image_generations", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("api_key_id", Uuid, ForeignKey("api_keys.id", ondelete="CASCADE"), nullable=False),
    Column("prompt", Text, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("format", Text, nullable=False),
    Column("blob_key", Text, nullable=False),
    timestamp("created_at"),
    Index(None, "owner_id", "created_at", "id"),
)

image_idempotency_keys = Table(
    "image_idempotency_keys", metadata,
    owner_column(),
    Column("key", Text, nullable=False),
    Column("fingerprint", Text, nullable=False),
    Column("api_key_id", Uuid, ForeignKey("api_keys.id", ondelete="CASCADE"), nullable=False),
    Column("usage_date", Date, nullable=False),
    timestamp("created_at"),
    Column("generation_id", Uuid),
    PrimaryKeyConstraint("owner_id", "key"),
    Index(None, "created_at"),
)

# GCRA state of shared rate limits: one theoretical arrival time per limited key (an IP, a login, an API key).
rate_limits = Table(
    "rate_limits", metadata,
    Column("key", Text, primary_key=True),
    timestamp("tat"),
    Index(None, "tat"),
)


# --- ledger -----------------------------------------------------------------

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Numeric, UniqueConstraint, func  # noqa: E402
from sqlalchemy.dialects.postgresql import ARRAY  # noqa: E402


def money(name: str) -> Column:
    return Column(name, Numeric(12, 2), nullable=False)


categories = Table(
    "categories", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("name", Text, nullable=False),
    Column("color", Text, nullable=False),
    Column("icon", Text, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    UniqueConstraint("owner_id", "id"),  # the target of (owner_id, category_id) foreign keys
)
Index("uq_categories_owner_id_name", categories.c.owner_id, func.lower(categories.c.name), unique=True)

# An expense points at a category of its own owner: the foreign key includes owner_id.
expenses = Table(
    "expenses", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("category_id", Uuid, nullable=False),
    money("amount"),
    Column("currency", Text, nullable=False),
    Column("spent_on", Date, nullable=False),
    Column("description", Text),
    Column("payment_method", Text, nullable=False),
    Column("tags", ARRAY(Text), nullable=False),
    Column("tag_keys", ARRAY(Text), nullable=False),  # lower-cased tags, for && (any) and @> (all)
    Column("notes", Text),
    Column("receipt_url", Text),
    Column("fingerprint", Text, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    ForeignKeyConstraint(["owner_id", "category_id"], ["categories.owner_id", "categories.id"]),
    CheckConstraint("amount > 0", name="amount_positive"),
    Index(None, "owner_id", "spent_on", "id"),
    Index(None, "owner_id", "amount", "id"),
    Index(None, "owner_id", "category_id"),
    Index(None, "owner_id", "fingerprint"),
    Index(None, "tag_keys", postgresql_using="gin"),
)

budgets = Table(
    "budgets", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    money("amount"),
    Column("currency", Text, nullable=False),
    Column("period", Text, nullable=False),
    Column("category_id", Uuid),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),
    Column("rollover", Boolean, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    ForeignKeyConstraint(["owner_id", "category_id"], ["categories.owner_id", "categories.id"]),
    CheckConstraint("amount > 0", name="amount_positive"),
    Index(None, "owner_id", "category_id"),
)


# --- calendar ---------------------------------------------------------------

from sqlalchemy import UniqueConstraint, func, literal_column, text  # noqa: E402

LIVE_SINGLE = text("deleted_at IS NULL AND recurrence IS NULL")
LIVE_SERIES = text("deleted_at IS NULL AND recurrence IS NOT NULL")

events = Table(
    "events", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("title", Text, nullable=False),
    Column("description", Text),
    Column("location", Text),
    timestamp("start_time"),
    timestamp("end_time"),
    Column("time_zone", Text, nullable=False),
    Column("all_day", Boolean, nullable=False),
    Column("recurrence", Text),
    timestamp("recurrence_until", nullable=True),
    timestamp("created_at"),
    timestamp("updated_at"),
    timestamp("deleted_at", nullable=True),
    # live one-off events by start: the window listing walks this range in order
    Index(None, "owner_id", "start_time", "id", postgresql_where=LIVE_SINGLE),
    # live series that may occur before a window ends
    Index("ix_events_owner_id_series_start_time", "owner_id", "start_time", postgresql_where=LIVE_SERIES),
    Index(None, "deleted_at", postgresql_where=text("deleted_at IS NOT NULL")),
)
# The [start, end] span of an event, as the GiST index below and the listing's "still running" query spell it.
EVENT_SPAN = func.tstzrange(events.c.start_time, events.c.end_time, literal_column("'[]'"))
# live one-off events running across an instant (begun before a window, still going in it); needs btree_gist
Index("ix_events_owner_id_span", events.c.owner_id, EVENT_SPAN, postgresql_using="gist",
      postgresql_where=LIVE_SINGLE)

reminders = Table(
    "reminders", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("event_id", Uuid, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("minutes_before", Integer, nullable=False),
    Column("channel", Text, nullable=False),
    Column("status", Text, nullable=False),
    timestamp("occurrence_start", nullable=True),
    timestamp("due_at", nullable=True),
    timestamp("next_attempt_at", nullable=True),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text),
    timestamp("sent_at", nullable=True),
    timestamp("created_at"),
    timestamp("updated_at"),
    UniqueConstraint("event_id", "minutes_before", "channel"),
    Index(None, "owner_id", "id"),
    # what the dispatchers claim: pending reminders by the time they may be attempted
    Index(None, "next_attempt_at", "id", postgresql_where=text("status = 'pending'")),
)

notes = Table(
    "notes", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("event_id", Uuid, ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    Column("body", Text, nullable=False),
    timestamp("created_at"),
    timestamp("updated_at"),
    Index(None, "event_id", "id"),
)

# The inbox outlives purged events, so it has no foreign key to events or reminders.
notifications = Table(
    "notifications", metadata,
    Column("id", Uuid, primary_key=True),
    owner_column(),
    Column("reminder_id", Uuid, nullable=False),
    Column("event_id", Uuid, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    timestamp("occurrence_start", nullable=True),
    timestamp("due_at"),
    timestamp("created_at"),
    timestamp("read_at", nullable=True),
    UniqueConstraint("reminder_id", "due_at"),
    Index(None, "owner_id", "id"),
)

calendar_feeds = Table(
    "calendar_feeds", metadata,
    Column("id", Uuid, primary_key=True),
    Column("owner_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("token_hash", Text, nullable=False, unique=True),
    timestamp("created_at"),
)

calendar_webhooks = Table(
    "calendar_webhooks", metadata,
    Column("owner_id", Uuid, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("url", Text, nullable=False),
    Column("secret", Text, nullable=False),
    timestamp("created_at"),
)
