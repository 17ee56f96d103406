"""Ledger-style spreadsheets (台账): a title row, headers, rows, a totals row.

Used by every computed table that organisers download (class results,
completion, reports); model listings use Wagtail's `SpreadsheetExportMixin`.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledger_workbook(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    subtitle: str = "",
    totals: Sequence | None = None,
) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31] or "Sheet"
    width = max(len(headers), 1)
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    if subtitle:
        sheet.append([subtitle])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.append(list(headers))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    if totals is not None:
        sheet.append([_cell(value) for value in totals])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(
            10, min(40, len(str(header)) * 2 + 4)
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value: str) -> str:
    """A name typed as "=…" stays text: no spreadsheet runs it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, int | float):
        return value
    try:
        return float(value)  # Decimal
    except (TypeError, ValueError):
        return str(value)


def csv_bytes(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [_text(v) if isinstance(v, str) else "" if v is None else v for v in row]
        )
    # A BOM so that Excel opens UTF-8 Chinese correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def spreadsheet_response(
    filename: str,
    fmt: str,
    title: str,
    headers: Sequence[str],
    rows: list[Sequence],
    **kwargs,
) -> HttpResponse:
    """`fmt` is "csv" or anything else for xlsx."""
    if fmt == "csv":
        body, content_type, ext = csv_bytes(headers, rows), "text/csv", "csv"
    else:
        body = ledger_workbook(title, headers, rows, **kwargs)
        content_type, ext = XLSX, "xlsx"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{ext}"'
    return response
