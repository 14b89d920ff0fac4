"""Ledger pages that move or sum expenses: the monthly report as a stacked bar chart by category (its numbers in a
table), CSV import with a dry-run preview, and the CSV export of the list's matches."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from markupsafe import Markup
from starlette.datastructures import UploadFile

from application.ledger.imports import ImportRejected
from domain.ledger.periods import add_months, parse_month
from domain.ledger.report import MonthReport
from domain.shared.errors import DomainError, InvalidValue
from entrypoints.web.charts import Number, Series, stacked_bar_chart
from entrypoints.web.page_route import page_router
from entrypoints.web.pages.home import local_today
from entrypoints.web.pages.ledger import FILTERS, categories_of, expense_query, ledger_page
from entrypoints.web.rendering import Session, container

router = page_router()
REPORT_MONTHS = 6  # the report shows this many months up to this one unless asked for others


@router.get("/ledger/report")
async def report(request: Request, session: Session) -> Response:
    """Spending per month by category, in the account's currency, `from`..`to` (YYYY-MM; default the last six)."""
    built = container(request)
    account = await built.identity.get_account()(session.account_id)
    this_month = local_today(account, built.infrastructure.clock().now()).replace(day=1)
    values = {name: request.query_params.get(name, "").strip() for name in ("from", "to")}
    try:
        last = parse_month(values["to"], "to") if values["to"] else this_month
        first = parse_month(values["from"], "from") if values["from"] else add_months(last, 1 - REPORT_MONTHS)
        months = await built.ledger.monthly_report()(session.account_id, first=first, last=last)
    except DomainError as error:
        return ledger_page(request, "ledger/report.html", error, values=values, chart=None, months=[],
                           account=account)
    names = {c.id: c.name for c in await categories_of(request, session.account_id)}
    chart = spending_chart(months, names, account.currency)
    return ledger_page(request, "ledger/report.html", values={"from": first.strftime("%Y-%m"),
                                                              "to": last.strftime("%Y-%m")},
                       chart=chart, months=months, account=account)


def spending_chart(months: tuple[MonthReport, ...], names: dict[UUID, str], currency: str) -> Markup:
    """A stacked bar per month, one segment per category, in `currency` (the report never sums currencies)."""
    totals: dict[str, dict[date, Decimal]] = {}
    for month in months:
        for category in month.categories:
            if category.currency == currency:
                name = names.get(category.category_id, "Deleted category")
                totals.setdefault(name, {})[month.month] = category.total.amount
    ranked = sorted(totals, key=lambda name: -sum(totals[name].values()))
    series = [Series(name, [totals[name].get(month.month, Decimal("0.00")) for month in months]) for name in ranked]

    def fmt(value: Number) -> str:  # the currency is in the title: the axis has room for the number only
        return f"{Decimal(str(value)):,.2f}"

    return stacked_bar_chart(f"Spending per month ({currency})", [m.month.strftime("%b %Y") for m in months],
                             series, description="Each bar is a month, each segment a category.",
                             label_heading="Month", fmt=fmt)


@router.get("/ledger/import")
async def import_form(request: Request, session: Session) -> Response:
    """The CSV upload form (dry run first) and the export link."""
    return ledger_page(request, "ledger/import.html", result=None, rejected=None)


@router.post("/ledger/import")
async def import_csv(request: Request, session: Session) -> Response:
    """Check (dry run) or import a CSV in the export's format: every row or none, known rows skipped."""
    form = await request.form()
    upload, dry_run = form.get("file"), "dry_run" in form
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidValue("file", "choose a CSV file")
        lines = (line.decode("utf-8") for line in upload.file)
        result = await container(request).ledger.import_expenses_csv()(session.account_id, lines, dry_run=dry_run)
    except ImportRejected as rejected:
        return ledger_page(request, "ledger/import.html", rejected, result=None, rejected=rejected.errors)
    except UnicodeDecodeError:
        return ledger_page(request, "ledger/import.html", InvalidValue("file", "must be UTF-8 text"), result=None,
                           rejected=None)
    except DomainError as error:
        return ledger_page(request, "ledger/import.html", error, result=None, rejected=None)
    return ledger_page(request, "ledger/import.html", result=result, rejected=None)


@router.get("/ledger/expenses/export.csv")
async def export_csv(request: Request, session: Session) -> Response:
    """The list's matching expenses (its filters and sort) as CSV."""
    expense_filter, order = expense_query({name: request.query_params.get(name, "").strip() for name in FILTERS})
    stream = container(request).ledger.export_expenses_csv()(session.account_id, filter=expense_filter, order=order)
    return StreamingResponse(stream, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="expenses.csv"'})
