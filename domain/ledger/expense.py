"""Expenses: an exact amount spent on a date, in a category, with optional details."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import TypedDict, Unpack
from urllib.parse import urlsplit
from uuid import UUID

from domain.ledger.money import AmountInput, Money
from domain.shared.changes import refuse_unknown
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


class ExpenseChanges(TypedDict, total=False):
    """The editable fields of an expense, as `Expense.create` takes them; None clears an optional one."""

    amount: AmountInput
    currency: str
    spent_on: date
    category_id: UUID
    description: str | None
    payment_method: str
    tags: Iterable[str]
    notes: str | None
    receipt_url: str | None


@dataclass(frozen=True, slots=True)
class Expense:
    id: UUID
    owner_id: UUID
    money: Money
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
        if not isinstance(category_id, UUID):
            raise InvalidValue("category_id", "is required")
        money = Money.of(amount, currency)
        spent_on = check_date(spent_on, "date")
        description = normalize_text(description, "description", DESCRIPTION_MAX)
        method = parse_payment_method(payment_method)
        tag_list = normalize_tags(tags)
        notes = normalize_text(notes, "notes", NOTES_MAX, multiline=True)
        receipt_url = check_receipt_url(receipt_url)
        fingerprint = _fingerprint(money, spent_on, category_id, description, method, tag_list, notes, receipt_url)
        return cls(
            id=id, owner_id=owner_id, money=money, spent_on=spent_on, category_id=category_id,
            description=description, payment_method=method, tags=tag_list, notes=notes, receipt_url=receipt_url,
            fingerprint=fingerprint, created_at=now, updated_at=now,
        )

    def edit(self, *, now: datetime, **changes: Unpack[ExpenseChanges]) -> "Expense":
        """Return the expense with `changes`, every rule checked again."""
        refuse_unknown(changes, ExpenseChanges)
        edited = Expense.create(
            id=self.id, owner_id=self.owner_id, now=now,
            amount=changes.get("amount", self.money.amount), currency=changes.get("currency", self.money.currency),
            spent_on=changes.get("spent_on", self.spent_on), category_id=changes.get("category_id", self.category_id),
            description=changes.get("description", self.description),
            payment_method=changes.get("payment_method", self.payment_method), tags=changes.get("tags", self.tags),
            notes=changes.get("notes", self.notes), receipt_url=changes.get("receipt_url", self.receipt_url),
        )
        return replace(edited, created_at=self.created_at)


def _fingerprint(
    money: Money, spent_on: date, category_id: UUID, description: str | None, payment_method: PaymentMethod,
    tags: tuple[str, ...], notes: str | None, receipt_url: str | None,
) -> str:
    """Return a stable hash of what the expense says (tags compared case-insensitively, in any order)."""
    parts = [
        spent_on.isoformat(), str(money.amount), money.currency, str(category_id), description or "",
        str(payment_method), "\x1e".join(sorted(tag.lower() for tag in tags)), notes or "", receipt_url or "",
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


class ExpenseNotFound(NotFound):
    code = "expense_not_found"

    def __init__(self) -> None:
        super().__init__("the expense does not exist")
