"""Identity value rules: email, username, password, full name."""

import re

from domain.shared.errors import InvalidValue

EMAIL_PATTERN = (
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_EMAIL = re.compile(EMAIL_PATTERN)
USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,32}$"
_USERNAME = re.compile(USERNAME_PATTERN)

PASSWORD_MIN, PASSWORD_MAX = 8, 128
FULL_NAME_MAX = 200


def normalize_email(value: str) -> str:
    """Return the email trimmed and lower-cased; raise InvalidValue if it is not an address."""
    email = value.strip().lower()
    if len(email) > 254 or len(email.partition("@")[0]) > 64 or not _EMAIL.fullmatch(email):
        raise InvalidValue("email", "must be a valid email address like name@example.com")
    return email


def normalize_username(value: str) -> str:
    """Return the username lower-cased; 3-32 characters of a-z, 0-9, '_', '.', '-'."""
    if not _USERNAME.fullmatch(value):
        raise InvalidValue(
            "username", "must be 3-32 characters of letters, digits, '_', '.' or '-'"
        )
    return value.lower()


def check_password(value: str, field: str = "password") -> str:
    """Return the password unchanged if it has 8-128 characters."""
    if not PASSWORD_MIN <= len(value) <= PASSWORD_MAX:
        raise InvalidValue(field, f"must be {PASSWORD_MIN}-{PASSWORD_MAX} characters long")
    return value


def normalize_full_name(value: str | None) -> str | None:
    """Return the name trimmed (None when empty); at most 200 characters, no control characters."""
    if value is None:
        return None
    name = value.strip()
    if len(name) > FULL_NAME_MAX:
        raise InvalidValue("full_name", f"must be at most {FULL_NAME_MAX} characters")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
        raise InvalidValue("full_name", "must not contain control characters")
    return name or None
