"""The coverage report (统计 → 全覆盖) and its names: for the viewer's
subtree (or one inside it) and a year, by rank and by unit × rank, each
count leading to the cadres behind it; every table in the ledger layout."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import Button

from records.services.ledger import LedgerRules
from stats.coverage import CadreLines, CoverageQuery, coverage
from stats.coverage_tables import (
    ROWS_SHOWN,
    coverage_tables,
    heading,
    names_table,
    subtitle,
)
from stats.filters import CoverageFilterSet, CoverageNamesFilterSet
from stats.views.base import StatsReportView
from training_site.spreadsheets import file_response, ledger_book, sheet_response


class CoverageSelectionMixin:
    """This year by default; the cadres the filters ask for within the
    viewer's scope."""

    def get_filter_defaults(self) -> dict:
        return {"year": str(timezone.localdate().year)}

    @cached_property
    def query(self) -> CoverageQuery:
        data = self.cleaned
        return CoverageQuery(
            year=int(data.get("year") or timezone.localdate().year),
            forum=self.scope,
            ranks=tuple(data.get("rank") or ()),
            no_rank=bool(data.get("no_rank")),
            field=data.get("field"),
            category=data.get("category"),
        )

    @cached_property
    def _kept_params(self) -> list[tuple[str, str]]:
        """This page's filters as (name, value) pairs, without paging or export."""
        dropped = {"export", "table", "p", "page"}
        return [
            (key, value)
            for key, values in self.request.GET.lists()
            if key not in dropped
            for value in values
        ]

    def url_with(self, name: str, **changes) -> str:
        """The URL named `name` with this page's filters, some changed (None
        drops one; a list repeats the parameter). Built without copying the
        request's QueryDict: a district's table has hundreds of links."""
        pairs = [(key, value) for key, value in self._kept_params if key not in changes]
        for key, value in changes.items():
            if isinstance(value, list | tuple):
                pairs += [(key, str(item)) for item in value]
            elif value is not None:
                pairs.append((key, str(value)))
        paths = self.__dict__.setdefault("_paths", {})
        if name not in paths:
            paths[name] = reverse(name)
        return paths[name] + ("?" + urlencode(pairs) if pairs else "")


class CoverageReportView(CoverageSelectionMixin, StatsReportView):
    page_title = gettext_lazy("Coverage")
    header_icon = "group"
    index_url_name = "stats_report_coverage"
    results_template_name = "stats/reports/coverage_tables.html"
    filterset_class = CoverageFilterSet
    export_filename = "coverage"
    list_export = ["label"]  # turns on the export buttons

    @cached_property
    def report(self):
        return coverage(self.query, rules=LedgerRules.for_request(self.request))

    @cached_property
    def tables(self):
        tables = coverage_tables(self.report)
        for table in tables:
            table.links = {
                fmt: self.url_with(self.index_url_name, export=fmt, table=table.name)
                for fmt in ("xlsx", "csv")
            }
            # Only the rows the page shows link anywhere: a district at 100×
            # the seed has tens of thousands of unit × rank rows, each with
            # five links, for the spreadsheet alone.
            for row in table.rows[:ROWS_SHOWN]:
                row.links = self.row_links(row)
        return tables

    def row_links(self, row) -> dict:
        """Where a row's counts lead: the names behind them, and for a unit
        its own coverage (the drill-down)."""
        forum = row.slug or None
        ranks = {"rank": [row.rank_id], "no_rank": None}
        if row.rank_id == 0:
            ranks = {"rank": None, "no_rank": "on"}
        if forum is None and row.unit:
            return {}  # the selection's own cadres: no subtree to name them by
        names = {"forum": forum} if forum else {}
        return {
            "unit": (self.url_with(self.index_url_name, forum=forum) if forum else ""),
            **{
                status: self.url_with(
                    "stats_report_coverage_names", status=status, **ranks, **names
                )
                for status in ("behind", "nothing", "met")
            },
            "all": self.url_with(
                "stats_report_coverage_names", status=None, **ranks, **names
            ),
        }

    def get_queryset(self):
        return self.tables

    @cached_property
    def header_more_buttons(self):
        return [
            Button(
                _("Download the whole report (XLSX)"),
                url=self.xlsx_export_url,
                icon_name="download",
                priority=90,
            ),
            Button(
                _("Cadres behind"),
                url=self.url_with("stats_report_coverage_names", status="behind"),
                icon_name="user",
                priority=100,
            ),
        ]

    def as_spreadsheet(self, queryset, spreadsheet_format):
        title, sub = heading(self.query), subtitle(self.query)
        chosen = self.request.GET.get("table")
        for table in self.tables:
            if table.name == chosen:
                return sheet_response(
                    table.sheet(title, sub),
                    f"{self.export_filename}-{table.name}",
                    spreadsheet_format,
                )
        body = ledger_book([table.sheet(title, sub) for table in self.tables])
        return file_response(body, self.export_filename, "xlsx")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context.update(
            report=self.report,
            totals=self.report.totals,
            tables=self.tables,
            heading=heading(self.query),
            subtitle=subtitle(self.query),
        )
        return context


class CoverageNamesView(CoverageSelectionMixin, StatsReportView):
    page_title = gettext_lazy("Coverage: the cadres")
    header_icon = "user"
    index_url_name = "stats_report_coverage_names"
    results_template_name = "stats/reports/coverage_names.html"
    filterset_class = CoverageNamesFilterSet
    paginate_by = 50
    export_filename = "coverage-cadres"
    list_export = ["name"]  # turns on the export buttons

    @cached_property
    def lines(self) -> CadreLines:
        """Read a page at a time; the spreadsheet reads them all."""
        return CadreLines(
            self.query,
            rules=LedgerRules.for_request(self.request),
            status=self.cleaned.get("status"),
        )

    def get_queryset(self):
        return self.lines

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        page = list(context["object_list"])
        names = names_table(page)
        names.links = {"xlsx": self.xlsx_export_url, "csv": self.csv_export_url}
        context.update(
            names=names,
            count=len(self.lines),
            report_url=self.url_with("stats_report_coverage", status=None),
            heading=heading(self.query),
        )
        return context

    def as_spreadsheet(self, queryset, spreadsheet_format):
        lines = list(self.lines)
        sheet = names_table(lines).sheet(heading(self.query), self.names_subtitle())
        sheet.totals = [_("Total"), _("%(n)s cadres") % {"n": len(lines)}]
        sheet.totals += [""] * (len(sheet.headers) - 2)
        return sheet_response(sheet, self.get_filename(), spreadsheet_format)

    def names_subtitle(self) -> str:
        status = self.cleaned.get("status")
        label = dict(self.filters.form.fields["status"].choices).get(status, "")
        parts = [subtitle(self.query)]
        if status:
            parts.insert(0, str(label))
        return "    ".join(parts)
