"""The dates Atrium keeps: 1900-01-01 to 2999-12-31, far enough from datetime's limits (years 1 and 9999)
that every instant can be shown in every time zone and moved by any offset the products allow."""

from datetime import date, datetime, tzinfo

from domain.shared.errors import InvalidValue

MIN_DATE, MAX_DATE = date(1900, 1, 1), date(2999, 12, 31)
SUPPORTED = f"must be between {MIN_DATE} and {MAX_DATE}"


def check_date(value: object, field: str) -> date:
    """Return the date if it is a calendar date between 1900-01-01 and 2999-12-31."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidValue(field, "must be a calendar date like 2026-01-31")
    if not MIN_DATE <= value <= MAX_DATE:
        raise InvalidValue(field, SUPPORTED)
    return value


def check_instant(value: datetime, field: str, zone: tzinfo | None = None) -> datetime:
    """Return the aware `value` if its date as written, and its date in `zone`, are supported dates."""
    if not MIN_DATE <= value.date() <= MAX_DATE or (
            zone is not None and not MIN_DATE <= value.astimezone(zone).date() <= MAX_DATE):
        raise InvalidValue(field, f"{SUPPORTED} (in its time zone too)" if zone else SUPPORTED)
    return value
