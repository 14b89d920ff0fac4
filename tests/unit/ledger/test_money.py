"""Money: exact cents of one currency; two currencies never add up, so no total can mix them."""

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.ledger.money import CurrencyMismatch, Money
from domain.ledger.report import CurrencyTotal, MonthlyTotal, monthly_report
from domain.shared.errors import InvalidValue


def test_money_adds_and_subtracts_within_one_currency_exactly():
    total = Money(Decimal("0.10"), "EUR") + Money(Decimal("0.20"), "EUR") - Money(Decimal("0.05"), "EUR")
    assert total == Money(Decimal("0.25"), "EUR")
    assert str(total.amount) == "0.25"
    assert Money(Decimal("12.5"), "EUR").amount.as_tuple().exponent == -2  # always written with two decimals


@pytest.mark.parametrize("combine", [
    lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a.percent_of(b), lambda a, b: CurrencyTotal(a, 1).add(b),
])
def test_amounts_in_two_currencies_never_combine(combine):
    with pytest.raises(CurrencyMismatch):
        combine(Money(Decimal("1.00"), "EUR"), Money(Decimal("1.00"), "USD"))


@pytest.mark.parametrize("amount, currency", [
    (Decimal("0.001"), "EUR"), (Decimal("NaN"), "EUR"), (1.5, "EUR"), (Decimal("1.00"), "eur"), (Decimal("1"), "XYZ"),
])
def test_money_refuses_what_is_not_exact_cents_of_a_currency(amount, currency):
    with pytest.raises(InvalidValue):
        Money(amount, currency)


def test_a_report_keeps_one_total_per_currency():
    food = uuid4()
    rows = [MonthlyTotal(date(2026, 1, 1), food, Money(Decimal("3.00"), "EUR"), 1),
            MonthlyTotal(date(2026, 1, 1), food, Money(Decimal("4.00"), "USD"), 2)]
    [january] = monthly_report(rows, date(2026, 1, 1), date(2026, 1, 1), "EUR")
    assert [(t.currency, str(t.total.amount), t.count) for t in january.totals] == [
        ("EUR", "3.00", 1), ("USD", "4.00", 2)]
