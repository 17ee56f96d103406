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
    # The network workbook (`import_network`): forums, lecturers, sessions.
    "tier": ("层级", "tier", "level"),
    "parent": ("上级讲坛", "上级", "parent"),
    "forum_title": ("讲坛名称", "名称", "forum", "title"),
    "slug": ("代码", "讲坛代码", "slug", "code"),
    "unit_kind": ("单位类型", "unit kind"),
    "unit_name": ("单位名称", "unit name"),
    "founded_on": ("成立日期", "founded on", "founded"),
    "contact_name": ("联系人", "contact", "contact person"),
    "contact_phone": ("联系电话", "contact phone", "telephone"),
    "address": ("地址", "address"),
    "lecturer_title": ("职务职称", "职称", "title"),
    "fields": ("擅长领域", "领域", "fields"),
    "forums": ("所属讲坛", "讲坛", "forums"),
    "forum": ("讲坛", "讲坛代码", "forum"),
    "start": ("开始时间", "时间", "start"),
    "end": ("结束时间", "end"),
    "session_title": ("讲题", "题目", "标题", "title"),
    "lecturers": ("主讲人", "讲师", "lecturers"),
    "venue": ("地点", "venue"),
    "field": ("领域", "field"),
    "category": ("类别", "category"),
    "study_hours": ("学时", "study hours"),
    "status": ("状态", "status"),
    "headcount": ("人数", "参加人数", "head-count", "headcount"),
    "present": ("出席", "present"),
    "late": ("迟到", "late"),
    "on_leave": ("请假", "on leave"),
    "absent": ("缺席", "absent"),
    "number": ("期数", "第N期", "number"),
    "others": ("其他参加人数", "其他人员", "others"),
    "evaluation_form": ("评估表", "evaluation form"),
    "responses": ("评价人数", "responses"),
    "ratings": ("评价结果", "ratings"),
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


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def read_tables(name: str, content: bytes) -> dict[str, list[list[str]]]:
    """Every sheet of an .xlsx workbook by its tab's name, cells as stripped
    text; a .csv file is one sheet named by the file (without its suffix)."""
    suffix = Path(name).suffix.lower()
    if suffix != ".xlsx":
        return {Path(name).stem: read_rows(name, content, max_rows=10**7)}
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise ImportFileError(_("This is not a readable .xlsx file.")) from error
    tables = {}
    for sheet in book.worksheets:
        tables[sheet.title] = [
            [_cell_text(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    book.close()
    return tables
