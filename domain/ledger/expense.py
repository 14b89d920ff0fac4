"""Expenses: an exact amount spent on a date, in a category, with optional details."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from domain.ledger.money import AmountInput, normalize_currency, parse_amount
from domain.shared.dates import check_date
from domain.shared.text import normalize_text
from domain.shared.errors import InvalidValue, NotFound

DESCRIPTION_MAX, NOTES_MAX, URL_MAX = 255, 10_000, 2048
TAGS_MAX, TAG_MAX = 20, 100


class PaymentMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
    OTHER = "other"


def parse_payment_method(value: str, field: str = "payment_method") -> PaymentMethod:
    try:
        return PaymentMethod(value)
    except ValueError:
        raise InvalidValue(field, "must be cash, card, bank_transfer or other") from None


def normalize_tags(values: Iterable[str], field: str = "tags") -> tuple[str, ...]:
    """Return the tags trimmed and de-duplicated ignoring case (first spelling wins): <= 20, 1-100 chars, no comma."""
    if isinstance(values, str) or values is None:
        raise InvalidValue(field, "must be a list of tags")
    tags: dict[str, str] = {}
    for value in values:
        tag = normalize_text(value, field, TAG_MAX)
        if tag is None:
            raise InvalidValue(field, "each tag must have 1-100 characters")
        if "," in tag:
            raise InvalidValue(field, "a tag must not contain a comma")
        tags.setdefault(tag.lower(), tag)
    if len(tags) > TAGS_MAX:
        raise InvalidValue(field, f"must have at most {TAGS_MAX} tags")
    return tuple(tags.values())


def check_receipt_url(value: str | None) -> str | None:
    """Return an absolute http(s) URL, or None when empty."""
    url = normalize_text(value, "receipt_url", URL_MAX)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in url:
        raise InvalidValue("receipt_url", "must be an http or https URL")
    return url


@dataclass(frozen=True, slots=True)
class Expense:
    id: UUID
    owner_id: UUID
    amount: Decimal
    currency: str
    spent_on: date
    category_id: UUID
    description: str | None
    payment_method: PaymentMethod
    tags: tuple[str, ...]
    notes: str | None
    receipt_url: str | None
    fingerprint: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def create(
        cls, *, id: UUID, owner_id: UUID, now: datetime, amount: AmountInput, currency: str,
        spent_on: date, category_id: UUID, description: str | None = None,
        payment_method: str = PaymentMethod.OTHER, tags: Iterable[str] = (),
        notes: str | None = None, receipt_url: str | None = None,
    ) -> "Expense":
        return cls(id=id, owner_id=owner_id, created_at=now, updated_at=now, **_checked(
            amount=amount, currency=currency, spent_on=spent_on, category_id=category_id,
            description=description, payment_method=payment_method, tags=tags,
            notes=notes, receipt_url=receipt_url,
        ))

    def edit(self, *, now: datetime, **changes: object) -> "Expense":
        """Return the expense with `changes` (any editable field; None clears an optional one)."""
        unknown = changes.keys() - set(EDITABLE)
        if unknown:
            raise TypeError(f"not editable: {sorted(unknown)}")
        fields = {name: getattr(self, name) for name in EDITABLE} | changes
        return replace(self, updated_at=now, **_checked(**fields))


EDITABLE = (
    "amount", "currency", "spent_on", "category_id", "description",
    "payment_method", "tags", "notes", "receipt_url",
)


def _checked(
    *, amount: Any, currency: Any, spent_on: Any, category_id: Any, description: Any,
    payment_method: Any, tags: Any, notes: Any, receipt_url: Any,
) -> dict[str, Any]:
    if not isinstance(category_id, UUID):
        raise InvalidValue("category_id", "is required")
    fields: dict[str, Any] = dict(
        amount=parse_amount(amount), currency=normalize_currency(currency),
        spent_on=check_date(spent_on, "date"), category_id=category_id,
        description=normalize_text(description, "description", DESCRIPTION_MAX),
        payment_method=parse_payment_method(payment_method), tags=normalize_tags(tags),
        notes=normalize_text(notes, "notes", NOTES_MAX, multiline=True),
        receipt_url=check_receipt_url(receipt_url),
    )
    return fields | {"fingerprint": _fingerprint(fields)}


def _fingerprint(fields: dict[str, Any]) -> str:
    """Return a stable hash of what the expense says (tags compared case-insensitively, in any order)."""
    parts = [
        fields["spent_on"].isoformat(), str(fields["amount"]), fields["currency"],
        str(fields["category_id"]), fields["description"] or "", str(fields["payment_method"]),
        "\x1e".join(sorted(tag.lower() for tag in fields["tags"])), fields["notes"] or "",
        fields["receipt_url"] or "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class ExpenseNotFound(NotFound):
    code = "expense_not_found"

    def __init__(self) -> None:
        super().__init__("the expense does not exist")
