"""Money: exact amounts in cents of one ISO 4217 currency; never a float, never two currencies added together."""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from domain.shared.currencies import ISO_4217
from domain.shared.errors import DomainError, InvalidValue
from domain.shared.locale import normalize_currency

__all__ = [
    "CENT", "MAX_INTEGER_DIGITS", "ZERO", "AmountInput", "CurrencyMismatch", "Money", "normalize_currency",
    "parse_amount",
]

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


class CurrencyMismatch(DomainError):
    """Two amounts in different currencies were combined; Money refuses, so no total ever mixes currencies."""

    code = "currency_mismatch"

    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"cannot combine amounts in {first} and {second}")


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount (any sign: totals and what remains of a budget may be negative) in cents of a currency."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal) or not self.amount.is_finite():
            raise InvalidValue("amount", "must be an exact decimal number")
        if self.amount.as_tuple().exponent != -2:
            cents = self.amount.quantize(CENT)
            if cents != self.amount:
                raise InvalidValue("amount", "must have at most 2 decimal places")
            object.__setattr__(self, "amount", cents)
        if self.currency not in ISO_4217:
            raise InvalidValue("currency", "must be an ISO 4217 currency code like EUR")

    @classmethod
    def of(cls, amount: AmountInput, currency: object) -> "Money":
        """Money from user input: a positive amount (parse_amount) and a currency code in any case."""
        return cls(parse_amount(amount), normalize_currency(currency))

    @classmethod
    def zero(cls, currency: str) -> "Money":
        return cls(ZERO, currency)

    def __add__(self, other: "Money") -> "Money":
        return Money(self.amount + self._same(other).amount, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        return Money(self.amount - self._same(other).amount, self.currency)

    def __mul__(self, times: int) -> "Money":
        return Money(self.amount * times, self.currency)

    @property
    def is_negative(self) -> bool:
        return self.amount < 0

    @property
    def is_positive(self) -> bool:
        return self.amount > 0

    def percent_of(self, whole: "Money") -> Decimal | None:
        """This amount as a percentage of `whole`, rounded half-up to 2 places; None unless `whole` is positive."""
        if not self._same(whole).is_positive:
            return None
        return (self.amount * 100 / whole.amount).quantize(CENT, ROUND_HALF_UP)

    def _same(self, other: "Money") -> "Money":
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)
        return other
