"""The ExpenseCsvCodec port on Python's csv module, with OWASP's defence against CSV injection."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import final

from application.ledger.ports import EXPENSE_COLUMNS, ExpenseCsvCodec, REQUIRED_COLUMNS, RowError, SheetRow

_FORMULA_START = tuple("=+-@\t\r")


def _escape(text: str) -> str:
    """Keep spreadsheets from running a cell as a formula: prefix it with a quote."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


@final
class CsvExpenseCodec(ExpenseCsvCodec):
    """Writes RFC 4180 CSV (`\\r\\n` line ends); reads any dialect Python's csv reader does by default."""

    def write(self, rows: Iterable[Sequence[str]], *, header: bool = False) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        if header:
            writer.writerow(EXPENSE_COLUMNS)
        writer.writerows([_escape(cell) for cell in row] for row in rows)
        return buffer.getvalue()

    def read(self, lines: Iterable[str]) -> Iterator[SheetRow | RowError]:
        reader = csv.reader(lines)
        try:
            columns = [cell.strip().lstrip("\ufeff").lower() for cell in next(reader, [])]
        except (csv.Error, UnicodeDecodeError) as error:
            yield RowError(1, "file", f"cannot be read as UTF-8 CSV: {error}")
            return
        if set(columns) - set(EXPENSE_COLUMNS) or REQUIRED_COLUMNS - set(columns) or len(set(columns)) != len(columns):
            yield RowError(1, "header", f"must name columns from {','.join(EXPENSE_COLUMNS)}; "
                                        "date, amount and category are required")
            return
        line = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except (csv.Error, UnicodeDecodeError) as error:
                yield RowError(line, "file", f"cannot be read as UTF-8 CSV: {error}")
                return
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(columns):
                wrong = RowError(start, "row", f"has {len(cells)} fields; the header has {len(columns)}")
                yield SheetRow(start, {}, wrong)
                continue
            row = dict(zip(columns, cells))
            yield SheetRow(start, {column: _unescape(row.get(column, "").strip()) for column in EXPENSE_COLUMNS})
