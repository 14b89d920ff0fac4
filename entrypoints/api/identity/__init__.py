"""Routes of the identity context, one module per resource."""

from entrypoints.api.identity import accounts, api_keys, sessions, usage

routers = (accounts.router, sessions.router, api_keys.router, usage.router)
