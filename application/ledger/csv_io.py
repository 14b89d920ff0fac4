"""Use cases that export expenses as CSV and import that format back."""

import csv
import io
import re
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from application.identity.locale import account_locale
from application.ledger.ports import LedgerUnitOfWork
from application.shared.clock import Clock
from application.shared.ids import IdGenerator
from application.shared.unit_of_work import UowFactory
from domain.ledger.category import Category, normalize_category_name
from domain.ledger.expense import (
    DESCRIPTION_MAX, NOTES_MAX, Expense, PaymentMethod, check_receipt_url, normalize_tags, parse_payment_method,
)
from domain.ledger.money import normalize_currency, parse_amount
from domain.ledger.query import ExpenseFilter, ExpenseOrder
from domain.shared.dates import check_date
from domain.shared.text import normalize_text
from domain.shared.errors import InvalidValue

COLUMNS = ("date", "amount", "currency", "category", "description", "payment_method", "tags", "notes", "receipt_url")
REQUIRED_COLUMNS = frozenset({"date", "amount", "category"})
ROWS_MAX, ERRORS_MAX, BATCH = 100_000, 100, 1000
_FORMULA_START = tuple("=+-@\t\r")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _escape(text: str) -> str:
    """Keep spreadsheets from running a cell as a formula (OWASP CSV injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


@dataclass
class ExportExpensesCsv:
    """Stream the owner's matching expenses as CSV text, header first; each page reads in its own transaction."""

    uow: UowFactory[LedgerUnitOfWork]

    async def __call__(
        self, owner_id: UUID, *, filter: ExpenseFilter = ExpenseFilter(), order: ExpenseOrder = ExpenseOrder()
    ) -> AsyncIterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        after = None
        while True:
            async with self.uow() as uow:
                page = await uow.expenses.page(owner_id, filter, order, after=after, limit=BATCH)
                names = {c.id: c.name for c in await uow.categories.all(owner_id)} if page else {}
            writer.writerows(_cells(expense, names[expense.category_id]) for expense in page)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            if len(page) < BATCH:
                return
            after = order.key(page[-1])


def _cells(expense: Expense, category: str) -> list[str]:
    return [
        expense.spent_on.isoformat(), str(expense.amount), expense.currency, _escape(category),
        _escape(expense.description or ""), expense.payment_method.value, _escape(",".join(expense.tags)),
        _escape(expense.notes or ""), expense.receipt_url or "",
    ]


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    field: str
    detail: str


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

    async def __call__(
        self, owner_id: UUID, lines: Iterable[str], *, dry_run: bool = False,
    ) -> ImportResult:
        now = self.clock.now()
        async with self.uow() as uow:
            await uow.expenses.lock_for_import(owner_id)
            currency = (await account_locale(uow.accounts, owner_id)).currency
            run = _Import(uow, self.ids, owner_id, now, currency)
            await run.read(lines)
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

    async def read(self, lines: Iterable[str]) -> None:
        reader = csv.reader(lines)
        columns = self._header(reader)
        line = reader.line_num + 1
        while columns and len(self.errors) < ERRORS_MAX:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as error:
                return self._fail(line, "file", f"cannot be read as UTF-8 CSV: {error}")
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            self.rows += 1
            if self.rows > ROWS_MAX:
                return self._fail(start, "file", f"must have at most {ROWS_MAX} rows")
            expense = await self._expense(start, columns, cells)
            if expense is not None and not self.errors:
                self.batch.append(expense)
                if len(self.batch) >= BATCH:
                    await self._flush()
        if not self.errors:
            await self._flush()

    def _header(self, reader: Iterator[list[str]]) -> list[str] | None:
        try:
            columns = [cell.strip().lstrip("\ufeff").lower() for cell in next(reader, [])]
        except (csv.Error, UnicodeDecodeError) as error:
            return self._fail(1, "file", f"cannot be read as UTF-8 CSV: {error}")
        if set(columns) - set(COLUMNS) or REQUIRED_COLUMNS - set(columns) or len(set(columns)) != len(columns):
            return self._fail(1, "header", f"must name columns from {','.join(COLUMNS)}; "
                                           "date, amount and category are required")
        return columns

    async def _expense(self, line: int, columns: list[str], cells: list[str]) -> Expense | None:
        if len(cells) != len(columns):
            return self._fail(line, "row", f"has {len(cells)} fields; the header has {len(columns)}")
        row = dict(zip(columns, cells))
        values = {}
        for column, check in self.checks.items():
            try:
                values[column] = check(_unescape(row.get(column, "").strip()))
            except InvalidValue as error:
                self._fail(line, column, error.detail)
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
