"""The coverage report's tables (全覆盖), defined once for the page, the
ledger spreadsheets (台账) and text: by rank, by unit × rank, and the names.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from stats.coverage import CadreLine, Coverage, CoverageQuery, CoverageRow
from training_site.formatting import figure, yes_no
from training_site.spreadsheets import Column, Sheet

#: Rows a table shows on the page; the spreadsheet has them all.
ROWS_SHOWN = 200

_HOURS = gettext_lazy("Study hours (pro-rata quota)")
_TAKING_PART = gettext_lazy("Taking part")

CADRES = Column(gettext_lazy("Cadres"), lambda row: row.cadres)
MET = Column(gettext_lazy("Met"), lambda row: row.met, _HOURS)
BEHIND = Column(gettext_lazy("Behind"), lambda row: row.behind, _HOURS)
NOTHING = Column(
    gettext_lazy("Attended nothing"), lambda row: row.nothing, _TAKING_PART
)
TALLY_COLUMNS = (
    CADRES,
    MET,
    BEHIND,
    Column(gettext_lazy("Rate met (%)"), lambda row: figure(row.rate), _HOURS),
    NOTHING,
    Column(
        gettext_lazy("Coverage (%)"), lambda row: figure(row.coverage), _TAKING_PART
    ),
)
RANK = Column(gettext_lazy("Rank"), lambda row: row.rank)
UNIT = Column(gettext_lazy("Unit"), lambda row: row.unit)
RANK_COLUMNS = (RANK, *TALLY_COLUMNS)
UNIT_COLUMNS = (UNIT, RANK, *TALLY_COLUMNS)
#: The page links these columns' values to the rows' `links` of that name:
#: a unit to its own coverage, a count to the names behind it.
#: (By identity: a column's header is a lazy translation, not to be hashed.)
LINKED = {
    id(UNIT): "unit",
    id(CADRES): "all",
    id(MET): "met",
    id(BEHIND): "behind",
    id(NOTHING): "nothing",
}
NAME_COLUMNS = (
    Column(gettext_lazy("Name"), lambda line: line.name),
    Column(gettext_lazy("Unit"), lambda line: line.unit),
    Column(gettext_lazy("Rank"), lambda line: line.rank_name),
    Column(gettext_lazy("Position"), lambda line: line.position),
    Column(gettext_lazy("Counted"), lambda line: line.hours, _HOURS),
    Column(gettext_lazy("Yearly quota"), lambda line: line.quota, _HOURS),
    Column(gettext_lazy("Due by now"), lambda line: line.expected, _HOURS),
    Column(gettext_lazy("Short by"), lambda line: line.short_by, _HOURS),
    Column(gettext_lazy("Attended"), lambda line: yes_no(line.attended), _TAKING_PART),
)


@dataclass
class CoverageTable:
    """One table of the report: its rows and the selection's totals."""

    name: str
    title: str
    columns: tuple
    rows: list
    totals: object | None = None
    #: Its downloads ({"xlsx": url, "csv": url}), set by the page.
    links: dict = field(default_factory=dict)

    def sheet(self, heading: str = "", subtitle: str = "") -> Sheet:
        return Sheet.of(
            self.columns,
            self.rows,
            title=f"{heading} · {self.title}" if heading else self.title,
            name=self.title,
            subtitle=subtitle,
            totals=self.totals,
            totals_label=_("Total") if self.totals is not None else None,
        )

    def header_rows(self) -> list[list[dict]]:
        return Sheet.of(self.columns, []).header_rows()

    def lines(self) -> list[list[tuple[object, str]]]:
        """Each row's (value, link or "") for the page, the first `ROWS_SHOWN`."""
        return [
            [
                (
                    column.value(row),
                    getattr(row, "links", {}).get(LINKED.get(id(column))),
                )
                for column in self.columns
            ]
            for row in self.rows[:ROWS_SHOWN]
        ]

    @property
    def more(self) -> str:
        """What the page leaves to the spreadsheet, said in a line."""
        rest = len(self.rows) - ROWS_SHOWN
        if rest <= 0:
            return ""
        return ngettext(
            "%(count)s more row (all are in the spreadsheet)",
            "%(count)s more rows (all are in the spreadsheet)",
            rest,
        ) % {"count": rest}

    @property
    def total_values(self) -> list:
        values = [column.value(self.totals) for column in self.columns]
        return [_("Total"), *values[1:]]


def coverage_tables(report: Coverage) -> list[CoverageTable]:
    totals = CoverageRow(
        cadres=report.totals.cadres,
        met=report.totals.met,
        nothing=report.totals.nothing,
    )
    return [
        CoverageTable("rank", _("By rank"), RANK_COLUMNS, report.by_rank, totals),
        CoverageTable(
            "unit", _("By unit and rank"), UNIT_COLUMNS, report.by_unit, totals
        ),
    ]


def names_table(lines: list[CadreLine]) -> CoverageTable:
    return CoverageTable("names", _("Cadres"), NAME_COLUMNS, lines)


def heading(query: CoverageQuery) -> str:
    unit = query.forum.title if query.forum else _("the whole district")
    return _("Coverage of training in %(year)s: %(unit)s") % {
        "year": query.year,
        "unit": unit,
    }


def subtitle(query: CoverageQuery) -> str:
    """The filters, the day the pro-rata quota was judged at, the day made."""
    parts = [_("Pro-rata quota as of %(day)s") % {"day": query.day.isoformat()}]
    if query.ranks or query.no_rank:
        names = [rank.name for rank in query.ranks]
        if query.no_rank:
            names.append(_("No rank"))
        parts.append(_("Rank: %(names)s") % {"names": "、".join(names)})
    if query.field is not None:
        parts.append(_("Theme (field): %(name)s") % {"name": query.field.name})
    if query.category is not None:
        parts.append(_("Theme (category): %(name)s") % {"name": query.category.name})
    parts.append(_("Made on %(day)s") % {"day": timezone.localdate().isoformat()})
    return "    ".join(str(part) for part in parts)
