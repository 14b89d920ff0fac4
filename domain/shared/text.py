"""Rules for free text fields: trimmed, bounded, no control characters."""

import re

from domain.shared.errors import InvalidValue

_CONTROLS = re.compile("[\x00-\x1f\x7f]")
_CONTROLS_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, line feed, carriage return allowed


def normalize_text(value: object, field: str, max_length: int, *, multiline: bool = False) -> str | None:
    """Return the text trimmed, None when empty; raise InvalidValue if too long or with control characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(field, "must be text")
    text = value.strip()
    if len(text) > max_length:
        raise InvalidValue(field, f"must be at most {max_length} characters")
    if (_CONTROLS_BUT_LINES if multiline else _CONTROLS).search(text):
        raise InvalidValue(field, "must not contain control characters")
    return text or None
