"""Importing expenses from a CSV file: every row or none."""

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application.identity.locale import account_locale
from application.ledger.ports import ExpenseCsvCodec, LedgerUnitOfWork, RowError, SheetRow
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.unit_of_work import UowFactory
from domain.ledger.category import Category, normalize_category_name
from domain.ledger.expense import (
    DESCRIPTION_MAX, NOTES_MAX, Expense, PaymentMethod, check_receipt_url, normalize_tags, parse_payment_method,
)
from domain.ledger.money import normalize_currency, parse_amount
from domain.shared.dates import check_date
from domain.shared.errors import InvalidValue
from domain.shared.text import normalize_text

ROWS_MAX, ERRORS_MAX, BATCH = 100_000, 100, 1000
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class ImportRejected(InvalidValue):
    """Some rows are wrong, so nothing was imported; `errors` lists up to 100 of them with their line numbers."""

    code = "import_rejected"

    def __init__(self, errors: list[RowError]) -> None:
        count = f"{len(errors)}{'+' if len(errors) >= ERRORS_MAX else ''}"
        super().__init__("file", f"the file has errors ({count}); nothing was imported")
        self.errors = errors


@dataclass(frozen=True, slots=True)
class ImportResult:
    rows: int
    imported: int
    duplicates: int
    created_categories: tuple[str, ...]
    dry_run: bool


@dataclass
class ImportExpensesCsv:
    """Import CSV in the export's format: every row or none; rows the owner already has are skipped.

    Reads `lines` as a stream (a 10 MB file is never held whole). Unknown category names are created;
    an empty currency cell means the account's currency.
    A row that appears n times stands for n expenses, counting the identical ones the owner already has,
    so importing the same file again adds nothing. With `dry_run` nothing is kept.
    """

    uow: UowFactory[LedgerUnitOfWork]
    clock: Clock
    ids: IdGenerator
    codec: ExpenseCsvCodec

    async def __call__(
        self, owner_id: UUID, lines: Iterable[str], *, dry_run: bool = False,
    ) -> ImportResult:
        now = self.clock.now()
        async with self.uow(account=owner_id) as uow:
            await uow.expenses.lock_for_import(owner_id)
            currency = (await account_locale(uow.accounts, owner_id)).currency
            run = _Import(uow, self.ids, owner_id, now, currency)
            await run.read(self.codec.read(lines))
            if run.errors:
                raise ImportRejected(run.errors[:ERRORS_MAX])
            if not dry_run:
                await uow.commit()
        return ImportResult(run.rows, run.imported, run.duplicates, tuple(run.created), dry_run)


class _Import:
    def __init__(self, uow: LedgerUnitOfWork, ids: IdGenerator, owner_id: UUID, now: datetime, currency: str) -> None:
        self.uow, self.ids, self.owner_id, self.now = uow, ids, owner_id, now
        self.errors: list[RowError] = []
        self.rows = self.imported = self.duplicates = 0
        self.created: list[str] = []
        self.categories: dict[str, UUID] = {}
        self.batch: list[Expense] = []
        self.seen: Counter[str] = Counter()
        self.existing: dict[str, int] = {}
        self.checks: dict[str, Callable[[str], Any]] = {
            "date": _parse_date,
            "amount": parse_amount,
            "currency": lambda v: normalize_currency(v or currency),
            "category": lambda v: normalize_category_name(v, "category"),
            "description": lambda v: normalize_text(v, "description", DESCRIPTION_MAX),
            "payment_method": lambda v: parse_payment_method(v or PaymentMethod.OTHER),
            "tags": lambda v: normalize_tags(tag for tag in v.split(",") if tag.strip()),
            "notes": lambda v: normalize_text(v, "notes", NOTES_MAX, multiline=True),
            "receipt_url": check_receipt_url,
        }

    async def read(self, rows: Iterator[SheetRow | RowError]) -> None:
        for row in rows:
            if len(self.errors) >= ERRORS_MAX:
                break
            if isinstance(row, RowError):
                self.errors.append(row)
                break
            self.rows += 1
            if self.rows > ROWS_MAX:
                self._fail(row.line, "file", f"must have at most {ROWS_MAX} rows")
                break
            if row.error is not None:
                self.errors.append(row.error)
                continue
            expense = await self._expense(row)
            if expense is not None and not self.errors:
                self.batch.append(expense)
                if len(self.batch) >= BATCH:
                    await self._flush()
        if not self.errors:
            await self._flush()

    async def _expense(self, row: SheetRow) -> Expense | None:
        values = {}
        for column, check in self.checks.items():
            try:
                values[column] = check(row.cells[column])
            except InvalidValue as error:
                self._fail(row.line, column, error.detail)
        if len(values) < len(self.checks):
            return None
        return Expense.create(
            id=self.ids.new_id(), owner_id=self.owner_id, now=self.now, amount=values["amount"],
            currency=values["currency"], spent_on=values["date"],
            category_id=await self._category_id(values["category"]), description=values["description"],
            payment_method=values["payment_method"], tags=values["tags"], notes=values["notes"],
            receipt_url=values["receipt_url"],
        )

    async def _category_id(self, name: str) -> UUID:
        key = name.lower()
        if key not in self.categories:
            category = await self.uow.categories.get_by_name(self.owner_id, name)
            if category is None:
                category = Category.create(id=self.ids.new_id(), owner_id=self.owner_id, name=name, now=self.now)
                await self.uow.categories.add(category)
                self.created.append(category.name)
            self.categories[key] = category.id
        return self.categories[key]

    async def _flush(self) -> None:
        batch, self.batch = self.batch, []
        unknown = {expense.fingerprint for expense in batch} - self.existing.keys()
        if unknown:
            counts = await self.uow.expenses.count_fingerprints(self.owner_id, unknown)
            self.existing.update((fingerprint, counts.get(fingerprint, 0)) for fingerprint in unknown)
        fresh = []
        for expense in batch:
            self.seen[expense.fingerprint] += 1
            if self.seen[expense.fingerprint] > self.existing[expense.fingerprint]:
                fresh.append(expense)
        self.duplicates += len(batch) - len(fresh)
        self.imported += len(fresh)
        if fresh:
            await self.uow.expenses.add_many(fresh)

    def _fail(self, line: int, field: str, detail: str) -> None:
        self.errors.append(RowError(line, field, detail))


def _parse_date(value: str) -> date:
    try:
        if _DATE.fullmatch(value):
            return check_date(date.fromisoformat(value), "date")
    except ValueError:
        pass
    raise InvalidValue("date", "must be a date like 2026-01-31")
