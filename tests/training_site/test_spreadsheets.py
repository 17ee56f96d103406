"""Ledger spreadsheets: a name typed as a formula stays text."""

import io

import openpyxl

from training_site.spreadsheets import csv_bytes, ledger_workbook


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
