"""The ledger's demo seeder, on both storages: months of expenses and a budget, and a rerun adds nothing."""

from entrypoints.demo.ledger import seed_ledger


async def test_seeding_the_demo_ledger_twice_adds_everything_once(container):
    account = await container.identity.register_account()(email="demo@example.com", username="demo",
                                                  password="correct horse")
    await seed_ledger(container, account)
    first = await container.ledger.list_expenses()(account.id, limit=200)
    await seed_ledger(container, account)
    again = await container.ledger.list_expenses()(account.id, limit=200)

    assert [e.id for e in again.items] == [e.id for e in first.items] and again.totals == first.totals
    months = {e.spent_on.replace(day=1) for e in first.items}
    assert len(months) == 4 and len(first.items) > 40
    [budget] = await container.ledger.list_budgets()(account.id)
    assert (str(budget.money.amount), budget.period, budget.start_date) == ("400.00", "monthly", min(months))
    assert (await container.ledger.budget_progress()(account.id, budget.id)).spent.amount > 0
