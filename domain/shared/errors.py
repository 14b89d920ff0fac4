"""Domain errors: each carries a stable `code`; entrypoints map the class to a status."""


class DomainError(Exception):
    """Base of every error a user can cause; never a bug."""

    code = "domain_error"
    title = "Request cannot be processed"

    def __init__(self, detail: str = "", *, code: str | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        if code is not None:
            self.code = code


class NotFound(DomainError):
    """The thing does not exist, or belongs to someone else (they look the same)."""

    code = "not_found"
    title = "Not found"


class Conflict(DomainError):
    """The request contradicts existing state (a duplicate, a limit, a dependency)."""

    code = "conflict"
    title = "Conflict"


class InvalidValue(DomainError):
    """A field's value breaks a rule; `field` names it."""

    code = "invalid_value"
    title = "Invalid value"

    def __init__(self, field: str, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail, code=code)
        self.field = field


class AuthenticationFailed(DomainError):
    """Credentials or tokens are missing, wrong, expired or revoked."""

    code = "unauthorized"
    title = "Authentication failed"


class PermissionDenied(DomainError):
    """The caller is known but may not do this."""

    code = "forbidden"
    title = "Forbidden"


class TooManyRequests(DomainError):
    """A rate limit or quota is exhausted; retry after `retry_after` seconds."""

    code = "rate_limited"
    title = "Too many requests"

    def __init__(self, detail: str = "", *, retry_after: int, code: str | None = None) -> None:
        super().__init__(detail, code=code)
        self.retry_after = max(1, int(retry_after))
