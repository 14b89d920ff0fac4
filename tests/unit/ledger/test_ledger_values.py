from datetime import date
from decimal import Decimal

import pytest

from domain.ledger.category import normalize_color
from domain.ledger.expense import check_receipt_url, normalize_tags
from domain.ledger.money import normalize_currency, parse_amount
from domain.ledger.periods import parse_month
from domain.ledger.query import ExpenseFilter, ExpenseOrder
from domain.shared.errors import InvalidValue


@pytest.mark.parametrize(("given", "amount"), [
    ("12.50", "12.50"), ("12.5", "12.50"), (12, "12.00"), ("0.01", "0.01"), ("1e2", "100.00"),
    (" 7 ", "7.00"), ("9999999999.99", "9999999999.99"), (Decimal("3.10"), "3.10"),
])
def test_amounts_are_exact_decimals_with_cents(given, amount):
    parsed = parse_amount(given)
    assert parsed == Decimal(amount) and str(parsed) == amount


@pytest.mark.parametrize("given", [
    "0", 0, "0.00", "-5", -5, "1.234", "0.001", "NaN", "nan", "Infinity", "-Infinity", "abc", "", "1,50",
    "1_000", "10000000000", "12345678901.5", 12.5, True, None, "١٢",
])
def test_bad_amounts_are_rejected_as_invalid_amount(given):
    with pytest.raises(InvalidValue) as error:
        parse_amount(given)
    assert error.value.field == "amount"


def test_currencies_are_iso_4217_codes():
    assert normalize_currency("eur") == "EUR"
    assert normalize_currency(" JPY ") == "JPY"
    for bad in ("EURO", "XXX", "ABC", "", "€"):
        with pytest.raises(InvalidValue):
            normalize_currency(bad)


def test_tags_are_trimmed_and_deduplicated_ignoring_case():
    assert normalize_tags([" Trip ", "trip", "work", "TRIP", "Work "]) == ("Trip", "work")


@pytest.mark.parametrize("tags", [
    ["ok", "   "], ["x" * 101], [f"t{i}" for i in range(21)], "trip", ["a,b"],
])
def test_bad_tags_are_rejected(tags):
    with pytest.raises(InvalidValue):
        normalize_tags(tags)


def test_twenty_tags_of_a_hundred_characters_fit():
    tags = [f"{i:02d}" + "x" * 98 for i in range(20)]
    assert len(normalize_tags(tags)) == 20


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.org/a", "file:///etc/passwd", "https://", "a url"])
def test_receipt_urls_must_be_http_or_https(url):
    with pytest.raises(InvalidValue):
        check_receipt_url(url)
    assert check_receipt_url("https://example.com/r/1.pdf") == "https://example.com/r/1.pdf"


def test_colors_are_rrggbb():
    assert normalize_color("#a1b2c3") == "#A1B2C3"
    for bad in ("red", "#abc", "#GGGGGG", "a1b2c3"):
        with pytest.raises(InvalidValue):
            normalize_color(bad)


def test_report_months_are_yyyy_mm():
    assert parse_month("2024-02", "from") == date(2024, 2, 1)
    for bad in ("2024-13", "2024-2", "24-02", "2024-02-01", "1899-12"):
        with pytest.raises(InvalidValue):
            parse_month(bad, "from")


def test_filters_reject_contradictions():
    with pytest.raises(InvalidValue):
        ExpenseFilter.create(min_amount="10", max_amount="5")
    with pytest.raises(InvalidValue):
        ExpenseFilter.create(min_amount="0")
    with pytest.raises(InvalidValue):
        ExpenseFilter.create(tag_match="some")
    with pytest.raises(InvalidValue):
        ExpenseOrder.parse("name")
    assert str(ExpenseOrder.parse("-amount")) == "-amount"
