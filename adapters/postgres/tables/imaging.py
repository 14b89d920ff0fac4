"""Tables of the imaging context: generations and their idempotency keys."""

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Index, Integer, PrimaryKeyConstraint, Table, Text, Uuid

from adapters.postgres.tables.base import metadata, owner_column, timestamp

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
