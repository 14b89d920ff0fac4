"""Demo data for the ledger: a few months of everyday expenses and a monthly Food budget."""

import csv
import io
from datetime import date
from decimal import Decimal

from application.ledger.ports import EXPENSE_COLUMNS as COLUMNS
from domain.identity.account import Account
from domain.ledger.budget import BudgetOverlaps
from domain.ledger.periods import add_months, local_today, month_end, month_start
from entrypoints.container import Container

MONTHS = 4  # the three last months and this one, up to today
FOOD_BUDGET = "400.00"
# day of month, category, description, amount, how it varies by month (cents), payment method, tags
EVERY_MONTH = (
    (1, "Bills", "Rent", "950.00", 0, "bank_transfer", "home"),
    (1, "Transport", "Monthly transit pass", "49.00", 0, "card", "commute"),
    (3, "Food", "Groceries", "62.40", 2400, "card", "groceries"),
    (5, "Bills", "Electricity", "58.10", 1900, "bank_transfer", "home,utilities"),
    (6, "Food", "Coffee with Sam", "7.80", 300, "cash", "coffee"),
    (8, "Entertainment", "Streaming subscription", "11.99", 0, "card", "subscriptions"),
    (10, "Food", "Groceries", "48.15", 2600, "card", "groceries"),
    (12, "Health", "Gym", "35.00", 0, "card", "fitness"),
    (14, "Shopping", "Books", "23.90", 1800, "card", ""),
    (16, "Food", "Lunch near the office", "14.50", 500, "card", "work"),
    (17, "Food", "Groceries", "71.05", 2200, "card", "groceries"),
    (19, "Entertainment", "Cinema", "25.00", 0, "card", "going out"),
    (21, "Transport", "Taxi home", "18.60", 900, "card", "going out"),
    (22, "Health", "Pharmacy", "8.75", 1200, "cash", ""),
    (24, "Food", "Groceries", "55.30", 2500, "card", "groceries"),
    (26, "Bills", "Phone plan", "19.99", 0, "bank_transfer", "utilities"),
    (28, "Food", "Dinner out", "42.00", 1500, "card", "going out"),
)


async def seed_ledger(container: Container, account: Account) -> None:
    """Import the demo expenses (an import skips rows it already has, so a rerun adds nothing) and add the budget."""
    today = local_today(container.infrastructure.clock().now(), account.time_zone)
    first = add_months(month_start(today), 1 - MONTHS)
    await container.ledger.import_expenses_csv()(account.id, _csv(first, today).splitlines(keepends=True))
    food = next(c.id for c in await container.ledger.list_categories()(account.id) if c.name == "Food")
    try:
        await container.ledger.create_budget()(account.id, amount=FOOD_BUDGET, category_id=food, start_date=first)
    except BudgetOverlaps:
        pass  # seeded before


def _csv(first: date, today: date) -> str:
    """The demo expenses from `first`'s month to `today`, amounts varying from month to month (exactly)."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(COLUMNS)
    for n in range(MONTHS):
        month = add_months(first, n)
        for day, category, description, amount, spread, method, tags in EVERY_MONTH:
            spent_on = month.replace(day=min(day, month_end(month).day))
            if spent_on <= today:
                varied = Decimal(amount) + Decimal((n * 977 + day * 131) % (spread + 1)) / 100 if spread else amount
                writer.writerow([spent_on, varied, "", category, description, method, tags, "", ""])
    return text.getvalue()
