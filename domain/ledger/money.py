"""Money rules: exact positive amounts in cents and ISO 4217 currencies; never a float."""

import re
from decimal import Decimal, InvalidOperation

from domain.shared.locale import normalize_currency  # noqa: F401  (re-exported for the ledger)
from domain.shared.errors import InvalidValue

AmountInput = str | int | Decimal
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_INTEGER_DIGITS = 10
_NUMBER = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


def parse_amount(value: AmountInput, field: str = "amount") -> Decimal:
    """Return the amount with two decimal places; it must be > 0 with <= 2 decimals and <= 10 integer digits.

    Accepts a str, an int or a Decimal (a JSON number arrives as its token text); never a float.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidValue(field, "must be a decimal number like 12.50, sent as a string or a JSON number")
    text = str(value).strip()
    if not _NUMBER.fullmatch(text):
        raise InvalidValue(field, "must be a decimal number like 12.50")
    try:
        amount = Decimal(text)
        if amount <= 0:
            raise InvalidValue(field, "must be greater than 0")
        if amount.adjusted() >= MAX_INTEGER_DIGITS:
            raise InvalidValue(field, f"must have at most {MAX_INTEGER_DIGITS} digits before the decimal point")
        cents = amount.quantize(CENT)
    except InvalidOperation:
        raise InvalidValue(field, "must be a decimal number like 12.50") from None
    if cents != amount:
        raise InvalidValue(field, "must have at most 2 decimal places")
    return cents
