"""Reading the rows of a spreadsheet someone uploads: xlsx, or csv from any
Excel (UTF-8 or GB18030), every cell as stripped text.

The headers organisers write for the columns we read are here too, in one
table (Chinese first, as they write them), so that the trainee import, the
sign-in sheet and the class roster recognise the same words.
"""

import csv
import io
import re
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_ROWS = 20_000
#: What no cell may hold: PostgreSQL refuses a NUL even in a lookup, and
#: xlsx cannot store most of the rest.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ENCODINGS = ("utf-8-sig", "gb18030")

#: Column → the headers it may appear under, compared without case; the first
#: is the one our templates write.
HEADERS = {
    "name": ("姓名", "name", "real name"),
    "mobile": ("手机号", "手机号码", "手机", "mobile", "mobile phone"),
    "unit": ("单位", "所在单位", "unit"),
    "other_unit": ("其他单位", "other unit"),
    "position": ("职务", "position"),
    "rank": ("职级", "rank"),
    "username": ("用户名", "username"),
    "signature": ("签名", "signature"),
    "training_kind": ("培训类型", "类型", "kind"),
    "course": ("培训项目", "培训名称", "课程", "course"),
    "organiser": ("主办单位", "举办单位", "organiser", "organizer"),
    "start_date": ("开始日期", "start date", "from"),
    "end_date": ("结束日期", "end date", "to"),
    "hours": ("学时", "hours"),
}


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


def is_header(cell: str, *columns: str) -> bool:
    """Whether `cell` names one of `columns` (keys of `HEADERS`)."""
    text = cell.strip().lower()
    return any(text in HEADERS[column] for column in columns)


def header_index(header: list[str], column: str) -> int | None:
    """Where `column` stands in a header row (the last such cell), if at all."""
    found = None
    for index, cell in enumerate(header):
        if is_header(cell, column):
            found = index
    return found


def without_control_characters(text: str) -> str:
    return CONTROL_CHARACTERS.sub("", text)


def read_rows(
    name: str, content: bytes, *, max_rows: int = MAX_ROWS
) -> list[list[str]]:
    """The rows of an .xlsx or .csv file (by its name), cells as stripped text."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a bad file
            raise ImportFileError(_("This is not a readable .xlsx file.")) from error
        rows = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in book.active.iter_rows(values_only=True)
        ]
    elif suffix == ".csv":
        for encoding in ENCODINGS:
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ImportFileError(_("The CSV file is neither UTF-8 nor GB18030."))
        try:
            # newline="" lets the csv module read \r, \n and \r\n endings alike.
            reader = csv.reader(io.StringIO(text, newline=""))
            rows = [[cell.strip() for cell in row] for row in reader]
        except csv.Error as error:
            raise ImportFileError(_("This CSV file cannot be read.")) from error
    else:
        raise ImportFileError(_("Upload an .xlsx or .csv file."))
    if len(rows) > max_rows + 1:
        raise ImportFileError(_("At most %(n)d trainees per file.") % {"n": max_rows})
    return rows
