"""Routes of the identity context."""

from entrypoints.api.identity.accounts import router

__all__ = ["router"]
