"""Tables of the calendar context: events, reminders, notes, notifications, feeds, webhooks."""

from sqlalchemy import (
    Boolean, Column, ForeignKey, Index, Integer, Table, Text, UniqueConstraint, Uuid, func, literal_column, text,
)

from adapters.postgres.tables.base import metadata, owner_column, timestamp

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
