"""Routes moving expenses in and out as CSV: the export streams the list's matches, the import is all or nothing."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Response, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from application.ledger.exports import ExportExpensesCsv
from application.ledger.imports import ImportExpensesCsv, ImportRejected
from entrypoints.api.dependencies import Caller, use
from entrypoints.api.exact_json import ExactJsonRoute
from entrypoints.api.ledger.expenses import ExpenseQuery
from entrypoints.api.problems import problem, responses
from entrypoints.container.ledger import Ledger

router = APIRouter(prefix="/api/v1", tags=["expenses"], route_class=ExactJsonRoute)


class ExpenseImportOut(BaseModel):
    rows: int
    imported: int
    duplicates: int = Field(description="rows skipped because you already have them")
    created_categories: list[str]
    dry_run: bool


@router.get("/expenses/export.csv", response_class=StreamingResponse,
            responses={**responses(401, 422), 200: {"content": {"text/csv": {}}, "description": "CSV, header first"}})
async def export_expenses(caller: Caller, query: ExpenseQuery,
                          export: ExportExpensesCsv = use(Ledger.export_expenses_csv)) -> StreamingResponse:
    """Your matching expenses as CSV (the list's filters and sort), streamed."""
    return StreamingResponse(export(caller.account_id, filter=query[0], order=query[1]),
                             media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="expenses.csv"'})


@router.post("/expenses/import", response_model=ExpenseImportOut, responses=responses(401, 413, 422))
async def import_expenses(
    caller: Caller, file: Annotated[UploadFile, File(description="CSV in the export's format")],
    dry_run: Annotated[bool, Form(description="check and count, keep nothing")] = False,
    dry_run_query: Annotated[bool, Query(alias="dry_run", include_in_schema=False)] = False,
    import_: ImportExpensesCsv = use(Ledger.import_expenses_csv),
) -> ExpenseImportOut | Response:
    """Import CSV: every row or none (422 lists each bad row's line); rows you already have are skipped."""
    lines = (line.decode("utf-8") for line in file.file)  # one line at a time, so a bad byte has its line number
    try:
        result = await import_(caller.account_id, lines, dry_run=dry_run or dry_run_query)
    except ImportRejected as rejected:
        return problem(422, rejected.code, rejected.title, rejected.detail, errors=[
            {"location": "file", "line": e.line, "field": e.field, "message": e.detail} for e in rejected.errors])
    return ExpenseImportOut(rows=result.rows, imported=result.imported, duplicates=result.duplicates,
                            created_categories=list(result.created_categories), dry_run=result.dry_run)
