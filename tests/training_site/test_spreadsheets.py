"""Ledger spreadsheets: a name typed as a formula stays text; columns fit
their content; a download's name says what and when."""

import io
from datetime import date
from urllib.parse import quote

import openpyxl

from training_site.spreadsheets import (
    MIN_COLUMN_WIDTH,
    csv_bytes,
    export_name,
    file_response,
    ledger_workbook,
)


def test_a_cell_that_looks_like_a_formula_stays_text():
    body = ledger_workbook(
        "台账",
        ["姓名", "出勤"],
        [["=HYPERLINK(1)", 3], ["@SUM(A1)", -1]],
        totals=["合计", 2],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows == [["'=HYPERLINK(1)", 3], ["'@SUM(A1)", -1], ["合计", 2]]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_csv_quotes_formulas_too_and_keeps_numbers():
    text = csv_bytes(["姓名", "分"], [["+1", -2], [None, 3]]).decode("utf-8-sig")
    assert text.splitlines() == ["姓名,分", "'+1,-2", ",3"]


def test_columns_are_as_wide_as_their_longest_cell():
    name = "中共某某县城关镇东风村党支部微讲坛"  # 17 characters, 34 units
    body = ledger_workbook("台账", ["讲坛", "人次"], [[name, 19408], ["短", 1.5]])
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet.column_dimensions["A"].width >= 34
    assert sheet.column_dimensions["B"].width == MIN_COLUMN_WIDTH


def test_a_download_is_named_for_what_and_when():
    name = export_name("讲坛统计", "城关镇", date(2026, 1, 1), date(2026, 12, 3))
    assert name == "讲坛统计_城关镇_2026-01-01_2026-12-03"
    assert export_name("a/b", "", None, "c:d") == "a-b_c-d"
    response = file_response(b"", name, "xlsx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert quote(name) in disposition
