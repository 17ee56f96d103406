"""Ledger-style tables (台账): a title row, headers, rows, a totals row.

`Sheet` is the one table type of the site: every computed table organisers
see or download (class results and completion, the 统计 reports, the
evaluation results) is a Sheet, written here as xlsx or csv, and the same
Sheet gives a page its header rows and `lecture_stats` its text. A sheet may
carry a second title line (the unit and the period) and grouped headers: a
group's label is merged over its columns, and a column outside any group has
its header merged over both header rows. A sheet without a title is a plain
table (headers on the first row), as the evaluation downloads have it.

A table defined once as `Column`s (a header, how to get the value from a
row, an optional group) makes its Sheet with `Sheet.of`.
"""

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CENTRED = Alignment(horizontal="center", vertical="center")


@dataclass(frozen=True)
class Column:
    """One column of a table defined once: its header, the value a row gives
    it, and the group its header stands under ("" for none)."""

    header: str
    value: Callable[[object], object]
    group: str = ""


def groups_of(columns: Sequence[Column]) -> list[tuple[str, int]] | None:
    """The header groups of `columns` (runs of one label), or None if none."""
    if not any(str(column.group) for column in columns):
        return None
    groups: list[tuple[str, int]] = []
    for column in columns:
        label = str(column.group)
        if groups and label and groups[-1][0] == label:
            groups[-1] = (label, groups[-1][1] + 1)
        else:
            groups.append((label, 1))
    return groups


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    subtitle: str = ""
    totals: Sequence | None = None
    #: Header groups in column order: (label, number of columns); a label of
    #: "" leaves its columns ungrouped.
    groups: Sequence[tuple[str, int]] | None = None
    name: str = ""  # the sheet's tab; the title if empty

    @classmethod
    def of(
        cls,
        columns: Sequence[Column],
        items: Iterable,
        *,
        title: str = "",
        totals: object | None = None,
        totals_label: str | None = None,
        **kwargs,
    ) -> "Sheet":
        """The table of `items`, a row each; `totals`, if given, is the item
        whose values make the totals row (its first cell `totals_label`)."""
        total_values = None
        if totals is not None:
            total_values = [column.value(totals) for column in columns]
            if totals_label is not None:
                total_values[0] = totals_label
        return cls(
            title=title,
            headers=[str(column.header) for column in columns],
            rows=[[column.value(item) for column in columns] for item in items],
            totals=total_values,
            groups=groups_of(columns),
            **kwargs,
        )

    def header_rows(self) -> list[list[dict]]:
        """The header rows of an HTML table, with their spans."""
        if not self.groups:
            return [[{"text": h, "colspan": 1, "rowspan": 1} for h in self.headers]]
        top, bottom, index = [], [], 0
        for label, span in self.groups:
            headers = self.headers[index : index + span]
            if label:
                top.append({"text": label, "colspan": span, "rowspan": 1})
                bottom += [{"text": h, "colspan": 1, "rowspan": 1} for h in headers]
            else:
                top += [{"text": h, "colspan": 1, "rowspan": 2} for h in headers]
            index += span
        return [top, bottom]

    def as_text(self) -> str:
        """The title, then headers, rows and totals as aligned plain text."""
        grid = [list(self.headers), *self.rows]
        if self.totals is not None:
            grid.append(list(self.totals))
        grid = [[str("" if value is None else value) for value in row] for row in grid]
        widths = [max(_width(row[i]) for row in grid) for i in range(len(grid[0]))]
        lines = [self.title] if self.title else []
        for row in grid:
            lines.append(
                "  ".join(_pad(value, widths[i]) for i, value in enumerate(row))
            )
        return "\n".join(lines)


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _merge(sheet, row: int, first: int, last: int, *, down: int = 0) -> None:
    if last > first or down:
        sheet.merge_cells(
            start_row=row, start_column=first, end_row=row + down, end_column=last
        )


def _write_headers(sheet, spec: Sheet) -> None:
    if not spec.groups:
        sheet.append(list(spec.headers))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        return
    columns = list(_flat(spec))
    top = sheet.max_row + 1
    sheet.append(
        [
            header if not label else (label if first else None)
            for header, label, first in columns
        ]
    )
    sheet.append([header if label else None for header, label, _first in columns])
    column = 1
    for label, span in spec.groups:
        if label:
            _merge(sheet, top, column, column + span - 1)
        else:
            for col in range(column, column + span):
                _merge(sheet, top, col, col, down=1)
        column += span
    for row in (top, top + 1):
        for cell in sheet[row]:
            cell.font = Font(bold=True)
            cell.alignment = CENTRED


def _flat(spec: Sheet):
    """(header, group label, first of its group) for each column."""
    labels = []
    for label, span in spec.groups:
        labels += [(label, index == 0) for index in range(span)]
    return [
        (header, label, first)
        for header, (label, first) in zip(spec.headers, labels, strict=True)
    ]


def tab_name(text: str) -> str:
    """A sheet tab's name: at most 31 characters, none of []:*?/\\."""
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(text)).strip()
    return cleaned[:31] or "Sheet"


def write_sheet(sheet, spec: Sheet) -> None:
    width = max(len(spec.headers), 1)
    sheet.title = tab_name(spec.name or spec.title)
    if spec.title:
        sheet.append([spec.title])
        _merge(sheet, 1, 1, width)
        sheet["A1"].font = Font(bold=True, size=14)
        sheet["A1"].alignment = CENTRED
    if spec.subtitle:
        sheet.append([spec.subtitle])
        _merge(sheet, sheet.max_row, 1, width)
    _write_headers(sheet, spec)
    widths = [_width(str(header)) for header in spec.headers]
    for row in spec.rows:
        cells = [_cell(value) for value in row]
        sheet.append(cells)
        _widen(widths, cells)
    if spec.totals is not None:
        cells = [_cell(value) for value in spec.totals]
        sheet.append(cells)
        _widen(widths, cells)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(
            MAX_COLUMN_WIDTH, max(MIN_COLUMN_WIDTH, width + 2)
        )


#: Column widths in Excel's units (about one Latin character; a CJK one is two).
MIN_COLUMN_WIDTH, MAX_COLUMN_WIDTH = 8, 60


def _widen(widths: list[int], cells: Sequence) -> None:
    """Widen each column to its longest cell as shown (floats to one decimal)."""
    for index, value in enumerate(cells[: len(widths)]):
        shown = f"{value:.1f}" if isinstance(value, float) else str(value)
        widths[index] = max(widths[index], _width(shown))


def ledger_book(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one ledger sheet per table."""
    book = Workbook()
    for index, spec in enumerate(sheets):
        write_sheet(book.active if index == 0 else book.create_sheet(), spec)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ledger_workbook(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    subtitle: str = "",
    totals: Sequence | None = None,
    groups: Sequence[tuple[str, int]] | None = None,
) -> bytes:
    return ledger_book(
        [Sheet(title, headers, rows, subtitle=subtitle, totals=totals, groups=groups)]
    )


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


def csv_bytes(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    title: str = "",
    subtitle: str = "",
    totals: Sequence | None = None,
) -> bytes:
    """CSV of a table; with a title, the ledger's title lines and totals too."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in (title, subtitle):
        if line:
            writer.writerow([line])
    writer.writerow(headers)
    for row in list(rows) + ([totals] if totals is not None else []):
        writer.writerow(
            [_text(v) if isinstance(v, str) else "" if v is None else v for v in row]
        )
    # A BOM so that Excel opens UTF-8 Chinese correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_name(*parts) -> str:
    """A download's name saying what and when, e.g. 讲坛统计_城关镇_2026-01-01_
    2026-12-03: the parts given (dates as ISO days), empty ones left out,
    joined by "_", without characters a file system refuses."""
    shown = (p.isoformat() if isinstance(p, date) else str(p or "") for p in parts)
    cleaned = (re.sub(r'[\\/:*?"<>|\s]+', "-", part).strip("-") for part in shown)
    return "_".join(part for part in cleaned if part) or "export"


def file_response(body: bytes, filename: str, ext: str) -> HttpResponse:
    content_type = XLSX if ext == "xlsx" else "text/csv"
    response = HttpResponse(body, content_type=content_type)
    # RFC 5987: an ASCII fallback and the UTF-8 name (filename*=UTF-8''…).
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{filename}.{ext}"
    )
    return response


def sheet_response(spec: Sheet, filename: str, fmt: str) -> HttpResponse:
    """One ledger table as xlsx, or as csv when `fmt` is "csv"."""
    if fmt == "csv":
        headers = list(spec.headers)
        if spec.groups:
            headers = [
                f"{label}·{header}" if label else header
                for header, label, _first in _flat(spec)
            ]
        body = csv_bytes(
            headers,
            spec.rows,
            title=spec.title,
            subtitle=spec.subtitle,
            totals=spec.totals,
        )
        return file_response(body, filename, "csv")
    return file_response(ledger_book([spec]), filename, "xlsx")
