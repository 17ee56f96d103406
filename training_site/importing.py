"""Importers built from columns: every row checked, then all written or none.

An importer names its columns (a key, the headers it may appear under, and
whether the file must have it) and cleans each cell in a `clean_<key>(value,
row)` method that returns the value to keep or raises a translated
`ValidationError`, as a Django form cleans its fields. The machinery reads
the file (`training_site.tabular`), cleans every cell of every row, collects
each row's problems with its line number, and only when there are none
writes every row in one transaction (`save_row`).

Lookups that need every row at once (what is taken already, which units
exist) belong in `prepare`, run once before the cells are cleaned.
"""

import logging
from collections.abc import Sequence
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

    @property
    def printable(self) -> bool:
        """No control characters: only such values may be looked up."""
        return not any(CONTROL_CHARACTERS.search(v) for v in self.raw.values())


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class ImportReport:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class Importer:
    """Subclasses set `columns` and `name` and define the cleaners and
    `save_row`; `run(file name, content)` does the rest."""

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
        report = ImportReport()
        self.prepare([row for row in rows if row.printable])
        for row in rows:
            self.clean(row)
            report.errors += [RowError(row.line, p) for p in row.problems]
        if report.errors:
            # Counts only: the rows are people's names and numbers.
            logger.info(
                "%s refused: %d problem(s) in %d row(s)",
                self.name,
                len(report.errors),
                len(rows),
            )
            return report
        with transaction.atomic():
            for row in rows:
                self.save_row(row)
                report.created += 1
        logger.info("%s: %d row(s) written", self.name, report.created)
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
        if not row.printable:
            row.problems.append(_("the row contains control characters"))

    def prepare(self, rows: list[Row]) -> None:
        """Look up, once for all rows, what the cleaners need."""

    def save_row(self, row: Row) -> None:
        raise NotImplementedError
