"""How to select and order expenses: the filters of the list, totals and CSV export."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from domain.ledger.expense import Expense, PaymentMethod, normalize_tags, parse_payment_method
from domain.ledger.money import AmountInput, normalize_currency, parse_amount
from domain.shared.dates import check_date
from domain.shared.text import normalize_text
from domain.shared.errors import InvalidValue

TEXT_QUERY_MAX = 200


class TagMatch(StrEnum):
    ANY = "any"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class ExpenseFilter:
    """Every set field narrows the selection; dates and amounts are inclusive bounds.

    Tags and text match case-insensitively; `text` is a substring of the description or the notes.
    """

    date_from: date | None = None
    date_to: date | None = None
    category_id: UUID | None = None
    currency: str | None = None
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    tags: tuple[str, ...] = ()
    tag_match: TagMatch = TagMatch.ANY
    payment_method: PaymentMethod | None = None
    text: str | None = None

    @classmethod
    def create(
        cls, *, date_from: date | None = None, date_to: date | None = None,
        category_id: UUID | None = None, currency: str | None = None,
        min_amount: AmountInput | None = None, max_amount: AmountInput | None = None,
        tags: Iterable[str] = (), tag_match: str = TagMatch.ANY,
        payment_method: str | None = None, text: str | None = None,
    ) -> "ExpenseFilter":
        """Validate raw filter values, as a query string gives them."""
        low = None if min_amount is None else parse_amount(min_amount, "min_amount")
        high = None if max_amount is None else parse_amount(max_amount, "max_amount")
        if low is not None and high is not None and low > high:
            raise InvalidValue("max_amount", "must not be less than min_amount")
        for value, field in ((date_from, "from"), (date_to, "to")):
            if value is not None:
                check_date(value, field)
        if date_from is not None and date_to is not None and date_from > date_to:
            raise InvalidValue("to", "must not be before from")
        if tag_match not in tuple(TagMatch):
            raise InvalidValue("tag_match", "must be any or all")
        return cls(
            date_from=date_from, date_to=date_to, category_id=category_id,
            currency=None if currency is None else normalize_currency(currency),
            min_amount=low, max_amount=high, tags=normalize_tags(tags), tag_match=TagMatch(tag_match),
            payment_method=None if payment_method is None else parse_payment_method(payment_method),
            text=normalize_text(text, "q", TEXT_QUERY_MAX),
        )


class SortField(StrEnum):
    DATE = "date"
    AMOUNT = "amount"


ExpenseKey = tuple[date | Decimal, UUID]


@dataclass(frozen=True, slots=True)
class ExpenseOrder:
    """Sort by date or amount, then by id, all in one direction."""

    field: SortField = SortField.DATE
    descending: bool = True

    @classmethod
    def parse(cls, value: str) -> "ExpenseOrder":
        """Parse `date`, `-date`, `amount` or `-amount` (a leading '-' means descending)."""
        try:
            return cls(SortField(value.removeprefix("-")), value.startswith("-"))
        except ValueError:
            raise InvalidValue("sort", "must be date, -date, amount or -amount") from None

    def __str__(self) -> str:
        return f"{'-' if self.descending else ''}{self.field}"

    def key(self, expense: Expense) -> ExpenseKey:
        value = expense.spent_on if self.field is SortField.DATE else expense.money.amount
        return value, expense.id
