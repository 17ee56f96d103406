"""Importers built from columns: every row checked, then all written or none.

An importer names its columns (a key, the headers it may appear under, and
whether the file must have it) and cleans each cell in a `clean_<key>(value,
row)` method that returns the value to keep or raises a translated
`ValidationError`, as a Django form cleans its fields. The machinery reads
the file (`training_site.tabular`), cleans every cell of every row, collects
each row's problems with its line number, and only when there are none
writes every row in one transaction (`write`).

Imports are upserts: an importer that names a row's key (`key_of`) and finds
the row it matches (`existing`) has each row classified as *created*,
*updated* or *unchanged* before anything is written — the preview — and a
key given twice in one file is a problem of the second row. Re-running an
import therefore changes nothing the second time.

Lookups that need every row at once (what is taken already, which units
exist) belong in `prepare`, run once before the cells are cleaned, so a
check costs the same few queries for one row or ten thousand.

A workbook of several sheets (`WorkbookImport`) checks its sheets in order
inside one transaction, writing each good sheet so the next can refer to
its rows, and rolls everything back if any sheet has a problem, or when it
was only asked for a preview.

Why not django-import-export: its resources save row by row (`instance.save()`,
or `bulk_create` without many-to-many and without Wagtail's page tree), its
dry run is the same writes rolled back, its admin integration is Django
admin's, and a row there is one model; our rows are pages placed in a tree,
two models at once (an account and its profile) or a session with its
roster, and the seed's network must import in seconds.
"""

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from training_site.tabular import (
    CONTROL_CHARACTERS,
    HEADERS,
    ImportFileError,
    header_index,
    read_rows,
)

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class Column:
    key: str
    #: The key in `tabular.HEADERS` whose headers name this column.
    header: str
    required: bool = False

    @property
    def title(self) -> str:
        """The header our templates write."""
        return HEADERS[self.header][0]


@dataclass
class Row:
    line: int
    raw: dict[str, str]
    cleaned: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    #: CREATED, UPDATED or UNCHANGED once checked; what the row matched.
    outcome: str = ""
    instance: object = None

    @property
    def printable(self) -> bool:
        """No control characters: only such values may be looked up."""
        return not any(CONTROL_CHARACTERS.search(v) for v in self.raw.values())


@dataclass
class RowError:
    line: int
    message: str
    #: The sheet's name, in a workbook of several.
    sheet: str = ""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: The sheet's name, in a workbook of several.
    sheet: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, rows: list[Row]) -> None:
        for row in rows:
            setattr(self, row.outcome, getattr(self, row.outcome) + 1)


class Importer:
    """Subclasses set `columns` and `name` and define the cleaners and
    `save_row` (or `write` for all rows at once); `run(file name, content)`
    does the rest."""

    columns: Sequence[Column] = ()
    #: What the log calls this import.
    name = "import"
    max_rows: int | None = None

    def run(self, filename: str, content: bytes) -> ImportReport:
        """Read the file, check every row; write all of them, or none."""
        kwargs = {"max_rows": self.max_rows} if self.max_rows else {}
        table = read_rows(filename, content, **kwargs)
        if not table:
            raise ImportFileError(_("The file is empty."))
        return self.run_rows(self.records(table))

    def records(self, table: list[list[str]]) -> list[Row]:
        """The non-empty rows below the header, by column key."""
        at = self.header_map(table[0])

        def cell(values, key):
            index = at.get(key)
            return (
                values[index].strip()
                if index is not None and index < len(values)
                else ""
            )

        return [
            Row(line, {column.key: cell(values, column.key) for column in self.columns})
            for line, values in enumerate(table[1:], start=2)
            if any(value.strip() for value in values)
        ]

    def header_map(self, header: list[str]) -> dict[str, int]:
        found = {}
        for column in self.columns:
            index = header_index(header, column.header)
            if index is not None:
                found[column.key] = index
        missing = [c.title for c in self.columns if c.required and c.key not in found]
        if missing:
            raise ImportFileError(
                _("The first row must name the columns; missing: %(columns)s.")
                % {"columns": "、".join(missing)}
            )
        return found

    def run_rows(self, rows: list[Row]) -> ImportReport:
        report = self.check(rows)
        if report.ok:
            with transaction.atomic():
                self.write(rows)
            logger.info(
                "%s: %d created, %d updated, %d unchanged",
                self.name,
                report.created,
                report.updated,
                report.unchanged,
            )
        return report

    def check(self, rows: list[Row]) -> ImportReport:
        """Clean every row and classify it; nothing is written."""
        report = ImportReport()
        self.prepare([row for row in rows if row.printable])
        seen: dict = {}
        for row in rows:
            self.clean(row)
            if not row.problems:
                key = self.key_of(row)
                if key is not None and seen.setdefault(key, row.line) != row.line:
                    row.problems.append(
                        _("the same %(key)s as line %(line)d")
                        % {"key": self.key_label, "line": seen[key]}
                    )
            if not row.problems:
                row.instance = self.existing(row)
                if row.instance is None:
                    row.outcome = CREATED
                elif self.changed(row, row.instance):
                    row.outcome = UPDATED
                else:
                    row.outcome = UNCHANGED
            report.errors += [RowError(row.line, p) for p in row.problems]
        if report.errors:
            # Counts only: the rows are people's names and numbers.
            logger.info(
                "%s refused: %d problem(s) in %d row(s)",
                self.name,
                len(report.errors),
                len(rows),
            )
        else:
            report.count(rows)
        return report

    def clean(self, row: Row) -> None:
        """Every cell through its cleaner; the row's problems in column order."""
        for column in self.columns:
            cleaner = getattr(self, f"clean_{column.key}", None)
            value = row.raw[column.key]
            try:
                row.cleaned[column.key] = cleaner(value, row) if cleaner else value
            except ValidationError as error:
                row.problems += error.messages
        if not row.problems:
            try:
                self.clean_row(row)
            except ValidationError as error:
                row.problems += error.messages
        if not row.printable:
            row.problems.append(_("the row contains control characters"))

    def prepare(self, rows: list[Row]) -> None:
        """Look up, once for all rows, what the cleaners need."""

    def clean_row(self, row: Row) -> None:
        """Checks across the row's cleaned cells, once each cell passed."""

    #: How a repeated key is named in its problem ("the same mobile as line 3").
    key_label = ""

    def key_of(self, row: Row):
        """The row's key among the file's rows (None: rows are not matched)."""
        return None

    def existing(self, row: Row):
        """What the row updates, if it exists already (None: it is new)."""
        return None

    def changed(self, row: Row, instance) -> bool:
        """Whether writing the row would change `instance`."""
        return True

    def write(self, rows: list[Row]) -> None:
        """Write the rows that create or change something (in a transaction)."""
        for row in rows:
            if row.outcome != UNCHANGED:
                self.save_row(row)

    def save_row(self, row: Row) -> None:
        raise NotImplementedError


def filter_in(queryset, lookup: str, values, size: int = 2000) -> list:
    """`queryset.filter(<lookup>__in=values)` in chunks: SQLite takes at most
    32,766 parameters a query, and a workbook at 10× names more mobiles."""
    values = list(dict.fromkeys(values))
    found = []
    for start in range(0, len(values), size):
        chunk = values[start : start + size]
        found += list(queryset.filter(**{f"{lookup}__in": chunk}))
    return found


def differs(instance, values: dict) -> bool:
    """Whether any attribute of `instance` differs from `values`."""
    return any(getattr(instance, name) != value for name, value in values.items())


@dataclass
class Sheet:
    """One sheet of a workbook import: the names its tab may have (the first is
    the one our templates write) and the importer of its rows."""

    names: Sequence[str]
    importer: Importer

    @property
    def title(self) -> str:
        return self.names[0]

    def matches(self, name: str) -> bool:
        text = name.strip().lower()
        return any(text == candidate.lower() for candidate in self.names)


@dataclass
class WorkbookReport:
    sheets: list[ImportReport] = field(default_factory=list)
    #: Written (True) or only checked, then rolled back.
    written: bool = False

    @property
    def errors(self) -> list[RowError]:
        return [error for report in self.sheets for error in report.errors]

    @property
    def ok(self) -> bool:
        return not self.errors

    def total(self, outcome: str) -> int:
        return sum(getattr(report, outcome) for report in self.sheets)


class WorkbookImport:
    """Sheets checked in order; each good one written so that the next can
    find its rows; all rolled back unless every sheet was good and the import
    was confirmed. A sheet's rows refer to earlier sheets' rows through the
    database, so references are checked exactly as they will be written."""

    #: In the order they are checked and written.
    sheets: Sequence[Sheet] = ()
    name = "workbook import"

    def run(
        self,
        tables: dict[str, list[list[str]]],
        *,
        commit: bool,
        after_write: Callable[[], None] | None = None,
    ) -> WorkbookReport:
        """Check (and, with `commit`, write) the named tables of a workbook."""
        report = WorkbookReport()
        found = self.match(tables, report)
        with transaction.atomic():
            for sheet in self.sheets:
                table = found.get(sheet.title)
                if table is None:
                    continue
                importer = sheet.importer
                sheet_report = ImportReport(sheet=sheet.title)
                try:
                    rows = importer.records(table)
                except ImportFileError as error:
                    sheet_report.errors.append(RowError(1, str(error), sheet.title))
                    report.sheets.append(sheet_report)
                    continue
                checked = importer.check(rows)
                checked.sheet = sheet.title
                for error in checked.errors:
                    error.sheet = sheet.title
                report.sheets.append(checked)
                if report.ok:
                    importer.write(rows)
                else:
                    self.skipped(sheet, rows)
            report.written = commit and report.ok
            if report.written and after_write is not None:
                after_write()
            if not report.written:
                transaction.set_rollback(True)
        logger.info(
            "%s %s: %d created, %d updated, %d unchanged, %d problem(s)",
            self.name,
            "written" if report.written else "checked",
            report.total(CREATED),
            report.total(UPDATED),
            report.total(UNCHANGED),
            len(report.errors),
        )
        return report

    def skipped(self, sheet: Sheet, rows: list[Row]) -> None:
        """A sheet left unwritten (it, or one before it, has a problem): later
        sheets should not call its rows unknown."""

    def match(
        self, tables: dict[str, list[list[str]]], report: WorkbookReport
    ) -> dict[str, list[list[str]]]:
        """Our sheets' tables by title; an unknown non-empty sheet is a problem."""
        found = {}
        for name, table in tables.items():
            sheet = next((s for s in self.sheets if s.matches(name)), None)
            if sheet is None:
                if any(any(cell for cell in row) for row in table):
                    report.sheets.append(
                        ImportReport(
                            sheet=name,
                            errors=[
                                RowError(
                                    1,
                                    _("unknown sheet; expected: %(names)s")
                                    % {
                                        "names": "、".join(s.title for s in self.sheets)
                                    },
                                    name,
                                )
                            ],
                        )
                    )
                continue
            if not table:
                continue
            found[sheet.title] = table
        if not found and report.ok:
            report.sheets.append(
                ImportReport(
                    errors=[RowError(1, _("The workbook holds none of our sheets."))]
                )
            )
        return found
