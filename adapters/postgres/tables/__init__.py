"""Every table, declared once on one MetaData, one module per context; Alembic autogenerates migrations from
`metadata`, which holds every table once this package is imported."""

from adapters.postgres.tables import identity, imaging, ledger, calendar, fitness, delivery  # noqa: F401, I001 (they declare the tables)
from adapters.postgres.tables.base import metadata

__all__ = ["metadata"]
