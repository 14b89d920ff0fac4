"""Every table, declared once; Alembic autogenerates migrations from this metadata."""

from sqlalchemy import (
    Boolean, Column, DateTime, ForeignKey, Index, MetaData, Table, Text, Uuid,
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
