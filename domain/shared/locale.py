"""Rules for the places and money an account lives with: IANA time zones and ISO 4217 codes."""

from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

from domain.shared.currencies import ISO_4217
from domain.shared.errors import InvalidValue

_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_ZONES


def check_time_zone(name: object, field: str = "time_zone") -> str:
    """Return the name if it is a known IANA time zone like Europe/Oslo or UTC."""
    if not isinstance(name, str) or name not in _zones():
        raise InvalidValue(field, "must be an IANA time zone name like Europe/Oslo or UTC")
    return name


def zone(name: str, field: str = "time_zone") -> ZoneInfo:
    """The ZoneInfo of a known IANA time zone name."""
    return ZoneInfo(check_time_zone(name, field))


def normalize_currency(value: object, field: str = "currency") -> str:
    """Return the ISO 4217 code upper-cased; raise InvalidValue for anything else."""
    code = value.strip().upper() if isinstance(value, str) else ""
    if code not in ISO_4217:
        raise InvalidValue(field, "must be an ISO 4217 currency code like EUR")
    return code
