"""Errors the application raises that are not the user's fault."""


class StorageUnavailable(Exception):
    """The storage cannot be reached right now; the caller may retry later."""


class UpstreamFailed(Exception):
    """An outbound system (a provider, a webhook) failed or timed out."""
