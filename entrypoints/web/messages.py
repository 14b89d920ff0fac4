"""Problem codes (the API's stable `code`s) as sentences a person reads next to a field or atop a form."""

from domain.shared.errors import DomainError, InvalidValue, TooManyRequests

_FRIENDLY = {
    "invalid_credentials": "That email or username and password do not match.",
    "email_taken": "An account with this email already exists.",
    "username_taken": "This username is taken; try another.",
    "rate_limited": "Too many attempts. Please wait {wait} and try again.",
    "session_ended": "Your session has ended. Please sign in again.",
    "wrong_password": "That is not your current password.",
    "not_found": "That does not exist (or is not yours).",
    "csrf_refused": "This form has expired. Please try again.",
    "quota_exceeded": "This key has used its daily quota.",
    "too_many_api_keys": "You have as many API keys as an account may hold; revoke one first.",
    "validation_failed": "Please check the highlighted fields.",
}


def friendly(error: DomainError) -> str:
    """What a person reads for `error`: a sentence for well-known codes, else the rule's own words."""
    template = _FRIENDLY.get(error.code)
    if template is None:
        return error.detail[:1].upper() + error.detail[1:] if error.detail else error.title
    wait = ""
    if isinstance(error, TooManyRequests):
        minutes = -(-error.retry_after // 60)
        wait = f"{error.retry_after} seconds" if error.retry_after < 120 else f"{minutes} minutes"
    return template.format(wait=wait)


def message_for(code: str, default: str) -> str:
    """The sentence for a problem `code`, else `default`."""
    return _FRIENDLY.get(code, default).format(wait="a moment")


_FIELD_OF = {"email_taken": "email", "username_taken": "username"}  # conflicts that belong to one field


def field_errors(error: DomainError) -> tuple[dict[str, str], str | None]:
    """The field errors and the form-level message that `error` makes: a rule on one field goes beside it."""
    field = error.field if isinstance(error, InvalidValue) else _FIELD_OF.get(error.code)
    if field is not None:
        return {field: friendly(error)}, None
    return {}, friendly(error)
