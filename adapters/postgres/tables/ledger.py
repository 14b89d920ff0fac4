"""Tables of the ledger context: categories, expenses, budgets."""

from decimal import Decimal

from sqlalchemy import (
    Boolean, CheckConstraint, Column, Date, ForeignKeyConstraint, Index, Numeric, Table, Text, UniqueConstraint, Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY

from adapters.postgres.tables.base import metadata, owner_column, timestamp


def money(name: str) -> Column[Decimal]:
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
