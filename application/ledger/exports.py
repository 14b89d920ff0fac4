"""Exporting expenses as a CSV file."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

from application.ledger.ports import ExpenseCsvCodec, LedgerUnitOfWork
from application.shared.unit_of_work import UowFactory
from domain.ledger.expense import Expense
from domain.ledger.query import ExpenseFilter, ExpenseOrder

BATCH = 1000


@dataclass
class ExportExpensesCsv:
    """Stream the owner's matching expenses as CSV text, header first; each batch reads in its own transaction."""

    uow: UowFactory[LedgerUnitOfWork]
    codec: ExpenseCsvCodec

    async def __call__(
        self, owner_id: UUID, *, filter: ExpenseFilter = ExpenseFilter(), order: ExpenseOrder = ExpenseOrder()
    ) -> AsyncIterator[str]:
        after = None
        header = True
        while True:
            async with self.uow(account=owner_id) as uow:
                page = await uow.expenses.page(owner_id, filter, order, after=after, limit=BATCH)
                names = {c.id: c.name for c in await uow.categories.all(owner_id)} if page else {}
            yield self.codec.write([_cells(expense, names[expense.category_id]) for expense in page], header=header)
            header = False
            if len(page) < BATCH:
                return
            after = order.key(page[-1])


def _cells(expense: Expense, category: str) -> list[str]:
    """The expense's cells in EXPENSE_COLUMNS order."""
    return [
        expense.spent_on.isoformat(), str(expense.money.amount), expense.money.currency, category,
        expense.description or "", expense.payment_method.value, ",".join(expense.tags), expense.notes or "",
        expense.receipt_url or "",
    ]
