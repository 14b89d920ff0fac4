"""Routes of the ledger context, one module per resource."""

from entrypoints.api.ledger import budgets, categories, expenses, expenses_csv, reports

routers = (categories.router, expenses.router, expenses_csv.router, budgets.router, reports.router)
