"""Routes of the ledger context."""

from entrypoints.api.ledger.expenses import router

__all__ = ["router"]
