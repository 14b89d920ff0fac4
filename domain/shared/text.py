"""Rules for free text fields: trimmed, bounded, no control characters."""

from domain.shared.errors import InvalidValue

_ALLOWED_CONTROLS = frozenset("\n\r\t")


def normalize_text(value: object, field: str, max_length: int, *, multiline: bool = False) -> str | None:
    """Return the text trimmed, None when empty; raise InvalidValue if too long or with control characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(field, "must be text")
    text = value.strip()
    if len(text) > max_length:
        raise InvalidValue(field, f"must be at most {max_length} characters")
    allowed = _ALLOWED_CONTROLS if multiline else frozenset()
    if any((ord(ch) < 32 or ord(ch) == 127) and ch not in allowed for ch in text):
        raise InvalidValue(field, "must not contain control characters")
    return text or None
