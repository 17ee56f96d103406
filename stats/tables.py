"""The network report's tables, defined once for the page, the spreadsheets
and `lecture_stats --format text`.

Each table lists its rows' figures under grouped headers (场次, 参与, 学时)
and ends with the selection's totals, which its rows add up to.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from lectures.models import ForumLevel
from stats.figures import Figures
from stats.network import NetworkReport, Row
from training_site.formatting import figure, shown
from training_site.spreadsheets import Column, Sheet

#: Rows a table shows on the page (the spreadsheets have them all): at 100×
#: the seed the district has 5,700 towns, and a page of 5,700 rows helps no
#: one. The rows beyond are shown as one line of their sum.
ROWS_SHOWN = 200

_SESSIONS = gettext_lazy("Sessions")
_TAKING_PART = gettext_lazy("Taking part")
_HOURS = gettext_lazy("Study hours")


def _figures(group, header, value) -> Column:
    return Column(header, value, group)


FIGURE_COLUMNS = (
    _figures(_SESSIONS, gettext_lazy("Held"), lambda f: f.sessions_held),
    _figures(_SESSIONS, gettext_lazy("Cancelled"), lambda f: f.sessions_cancelled),
    _figures(_SESSIONS, gettext_lazy("Postponed"), lambda f: f.sessions_postponed),
    _figures(_TAKING_PART, gettext_lazy("Person-times"), lambda f: f.participants),
    _figures(
        _TAKING_PART, gettext_lazy("Of whom cadres"), lambda f: f.cadre_participants
    ),
    _figures(
        _TAKING_PART,
        gettext_lazy("Others (not registered)"),
        lambda f: f.other_participants,
    ),
    _figures(
        _TAKING_PART,
        gettext_lazy("Attendance rate (%)"),
        lambda f: shown(f.attendance_rate),
    ),
    _figures(_HOURS, gettext_lazy("Offered"), lambda f: f.study_hours_offered),
    _figures(_HOURS, gettext_lazy("Credited"), lambda f: f.study_hours_credited),
    _figures(
        "",
        gettext_lazy("Satisfaction rate (%)"),
        lambda f: figure(f.satisfaction_rate),
    ),
)


@dataclass
class Table:
    """A breakdown: one row per month, tier, forum, field or category."""

    name: str
    title: str
    first_header: str
    rows: list
    totals: Figures
    columns: tuple = FIGURE_COLUMNS
    #: A page number (`paged`): the page shows the rows a page at a time.
    page_number: str | int | None = None
    per_page: int | None = None
    #: The page's query string without the page's parameter, for its links.
    query: str = ""

    def paged(self, number, per_page: int, query: str = "") -> "Table":
        self.page_number, self.per_page, self.query = number, per_page, query
        return self

    @property
    def page(self) -> Page | None:
        """The page of rows shown, when the table is shown a page at a time."""
        if self.per_page is None:
            return None
        return Paginator(self.rows, self.per_page).get_page(self.page_number)

    @property
    def all_columns(self) -> tuple[Column, ...]:
        """The row's label, then its figures."""
        label = Column(self.first_header, lambda row: getattr(row, "label", ""))
        return (label, *self.columns)

    def sheet(self, heading: str = "", subtitle: str = "") -> Sheet:
        """The whole table: every row and the totals."""
        return Sheet.of(
            self.all_columns,
            self.rows,
            title=f"{heading} · {self.title}" if heading else self.title,
            name=self.title,
            subtitle=subtitle,
            totals=self.totals,
            totals_label=_("Total"),
        )

    @property
    def headers(self) -> list[str]:
        return self.sheet().headers

    def header_rows(self) -> list[list[dict]]:
        """The two header rows of the HTML table, with their spans."""
        return Sheet.of(self.all_columns, []).header_rows()

    def lines(self) -> list[tuple]:
        """(row, its values without the label) for the HTML table: the page
        shown, or past `ROWS_SHOWN` rows the rest as one line."""
        rows = self.rows
        page = self.page
        if page is not None:
            rows = page.object_list
        elif len(rows) > ROWS_SHOWN:
            rest = rows[ROWS_SHOWN - 1 :]
            label = ngettext(
                "%(count)s more row (all are in the spreadsheet)",
                "%(count)s more rows (all are in the spreadsheet)",
                len(rest),
            ) % {"count": len(rest)}
            rest_row = Row.of_figures(sum(rest, Figures()), label)
            rows = [*rows[: ROWS_SHOWN - 1], rest_row]
        return [(row, self.values(row)[1:]) for row in rows]

    def values(self, row) -> list:
        return [column.value(row) for column in self.all_columns]

    @property
    def body(self) -> list[list]:
        return [self.values(row) for row in self.rows]

    @property
    def total_values(self) -> list:
        return [_("Total")] + [column.value(self.totals) for column in self.columns]


def network_tables(report: NetworkReport) -> list[Table]:
    totals = report.stats
    root = report.forum_root
    return [
        Table("month", _("By month"), _("Month"), report.months, totals),
        Table("level", _("By tier"), _("Tier"), report.tiers, totals),
        Table(
            "forum",
            _("By forum: %(forum)s") % {"forum": root.title} if root else _("By forum"),
            _("Forum"),
            report.forums,
            totals,
        ),
        Table("field", _("By field"), _("Field"), report.fields, totals),
        Table("category", _("By category"), _("Category"), report.categories, totals),
    ]


def forum_tier_rows(stats) -> list[list]:
    """Forums by tier: founded, new in the period, active, not reporting;
    then the totals."""
    rows = [
        [
            str(label),
            stats.forums[level],
            stats.forums_founded_in_period[level],
            stats.forums_active[level],
            stats.forums_not_reporting[level],
        ]
        for level, label in ForumLevel.choices
    ]
    return [*rows, [_("Total")] + [sum(row[i] for row in rows) for i in range(1, 5)]]


def forum_table_sheet(report: NetworkReport, heading: str, subtitle: str) -> Sheet:
    *rows, totals = forum_tier_rows(report.stats)
    return Sheet(
        title=f"{heading} · {_('Forums')}",
        name=_("Forums"),
        headers=forum_headers(),
        rows=rows,
        subtitle=subtitle,
        totals=totals,
    )


def forum_headers() -> list[str]:
    return [
        _("Tier"),
        pgettext("count of forums", "Founded"),
        _("Founded in the period"),
        _("Active (held a session)"),
        _("Not reporting"),
    ]


def not_reporting_sheet(report: NetworkReport, heading: str, subtitle: str) -> Sheet:
    levels = dict(ForumLevel.choices)
    rows = [
        [forum["title"], str(levels.get(forum["level"], "")), forum["unit_name"]]
        for forum in report.not_reporting
    ]
    return Sheet(
        title=f"{heading} · {_('Not reporting')}",
        name=_("Not reporting"),
        headers=[_("Forum"), _("Tier"), _("Unit")],
        rows=rows,
        subtitle=subtitle,
        totals=[_("Total"), len(rows), ""],
    )


def heading(report: NetworkReport) -> str:
    """The ledger's title: the unit whose figures these are."""
    stats = report.stats
    unit = stats.forum["title"] if stats.forum else _("the whole district")
    return _("Lecture network statistics: %(unit)s") % {"unit": unit}


def subtitle(report: NetworkReport, labels: dict | None = None) -> str:
    """The period, the filters and when the sheet was made."""
    stats = report.stats
    parts = [
        _("Period: %(from)s – %(to)s") % stats.period,
    ]
    if stats.filters.get("level"):
        parts.append(
            _("Tier: %(tier)s") % {"tier": ForumLevel(stats.filters["level"]).label}
        )
    labels = labels or {}
    if labels.get("field"):
        parts.append(_("Field: %(name)s") % {"name": labels["field"]})
    if labels.get("category"):
        parts.append(_("Category: %(name)s") % {"name": labels["category"]})
    parts.append(_("Made on %(day)s") % {"day": timezone.localdate().isoformat()})
    return "    ".join(str(part) for part in parts)


def workbook_sheets(report: NetworkReport, labels: dict | None = None) -> list[Sheet]:
    """Every table of the report, one sheet each: `--format xlsx` and the
    page's whole-report download."""
    title, sub = heading(report), subtitle(report, labels)
    sheets = [forum_table_sheet(report, title, sub)]
    sheets += [table.sheet(title, sub) for table in network_tables(report)]
    sheets.append(not_reporting_sheet(report, title, sub))
    return sheets


def as_text(report: NetworkReport) -> str:
    """The tables as aligned plain text, for `lecture_stats --format text`."""
    return "\n\n".join(table.sheet().as_text() for table in network_tables(report))
