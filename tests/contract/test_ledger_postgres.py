"""The ledger's list and report queries use the expense indexes at scale (100k expenses over 200 owners)."""

from datetime import date

import pytest
from sqlalchemy import text

from domain.ledger.query import ExpenseFilter, ExpenseOrder
from tests.contract.plans import Capturing, plans

pytestmark = pytest.mark.parametrize("storage", ["postgres"], indirect=True)


async def seed(engine) -> tuple:
    """200 owners with a category and 500 expenses each, over 2025-2026; returns one owner and its category."""
    async with engine.begin() as conn:
        await conn.execute(text("""
            INSERT INTO accounts (id, email, username, password_hash, is_active, created_at, updated_at, time_zone,
                                  currency)
            SELECT gen_random_uuid(), 'o' || n || '@example.com', 'o' || n, 'x', true, now(), now(), 'UTC', 'EUR'
            FROM generate_series(1, 200) n"""))
        await conn.execute(text("""
            INSERT INTO categories (id, owner_id, name, color, icon, created_at, updated_at)
            SELECT gen_random_uuid(), id, 'Food', '#000000', 'tag', now(), now() FROM accounts"""))
        await conn.execute(text("""
            INSERT INTO expenses (id, owner_id, category_id, amount, currency, spent_on, description, payment_method,
                                  tags, tag_keys, fingerprint, created_at, updated_at)
            SELECT gen_random_uuid(), c.owner_id, c.id, 1 + n % 97, 'EUR', date '2025-01-01' + n % 700, 'lunch',
                   'card', '{}', '{}', md5(c.id::text || n), now(), now()
            FROM categories c, generate_series(1, 500) n"""))
        await conn.execute(text("ANALYZE"))
        return (await conn.execute(text("SELECT owner_id, id FROM categories LIMIT 1"))).one()


async def test_expense_pages_totals_and_monthly_reports_use_the_indexes(uow_factory, clean_postgres):
    owner_id, category_id = await seed(clean_postgres)
    month = ExpenseFilter(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31))
    async with uow_factory() as uow:
        captured = uow.expenses._conn = Capturing(uow.expenses._conn)
        newest = await uow.expenses.page(owner_id, ExpenseFilter(), ExpenseOrder(), after=None, limit=51)
        last = newest[-1]
        await uow.expenses.page(owner_id, ExpenseFilter(), ExpenseOrder(), after=(last.spent_on, last.id), limit=51)
        await uow.expenses.page(owner_id, month, ExpenseOrder(), after=None, limit=51)
        await uow.expenses.page(owner_id, ExpenseFilter(category_id=category_id), ExpenseOrder(), after=None, limit=51)
        await uow.expenses.totals(owner_id, month)
        await uow.expenses.monthly_totals(owner_id, date(2026, 1, 1), date(2026, 6, 30))
        found = await plans(captured)
    assert len(newest) == 51 and len(found) == 6
    for plan in found:
        assert "Seq Scan on expenses" not in plan, plan
        assert "ix_expenses_owner_id" in plan, plan
    assert all("ix_expenses_owner_id_spent_on_id" in plan for plan in found[:3]), found[:3]
