"""The network report page: key figures, the paragraph, charts, breakdowns
with drill-down, forums not reporting; every table as xlsx and csv, the whole
report as one workbook, and a print view."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import Button

from lectures.models import ForumPage
from lectures.rules import can_administer
from stats.network import FORUM_ROWS_PER_PAGE, network_report
from stats.paragraph import work_report_paragraph
from stats.tables import (
    forum_headers,
    forum_tier_rows,
    heading,
    network_tables,
    subtitle,
    workbook_sheets,
)
from stats.views.base import NetworkSelectionMixin, StatsReportView
from training_site.spreadsheets import file_response, ledger_book, sheet_response


class NetworkReportView(NetworkSelectionMixin, StatsReportView):
    page_title = gettext_lazy("Network statistics")
    header_icon = "site"
    index_url_name = "stats_report_network"
    template_name = "stats/reports/network.html"
    export_filename = "network-statistics"
    list_export = ["label"]  # turns on the export buttons

    @cached_property
    def report(self):
        return network_report(self.query)

    @cached_property
    def labels(self) -> dict:
        data = self.cleaned
        return {
            "field": data["field"].name if data.get("field") else "",
            "category": data["category"].name if data.get("category") else "",
        }

    @cached_property
    def tables(self):
        tables = network_tables(self.report)
        for table in tables:
            table.links = {
                fmt: self.url_with(export=fmt, table=table.name)
                for fmt in ("xlsx", "csv")
            }
            if table.name == "forum" and not self.request.GET.get("print"):
                # A district's thousands of forums a page at a time.
                params = self.request.GET.copy()
                params.pop("forum_rows", None)
                table.paged(
                    self.request.GET.get("forum_rows"),
                    FORUM_ROWS_PER_PAGE,
                    params.urlencode(),
                )
        return tables

    def get_queryset(self):
        return self.tables

    @cached_property
    def header_more_buttons(self):
        params = self.request.GET.copy()
        params["print"] = "1"
        return [
            Button(
                _("Download the whole report (XLSX)"),
                url=self.xlsx_export_url,
                icon_name="download",
                priority=90,
            ),
            Button(
                _("Print view"),
                url=self.request.path + "?" + params.urlencode(),
                icon_name="doc-full",
                priority=100,
            ),
        ]

    def as_spreadsheet(self, queryset, spreadsheet_format):
        title, sub = heading(self.report), subtitle(self.report, self.labels)
        chosen = self.request.GET.get("table")
        for table in self.tables:
            if table.name == chosen:
                return sheet_response(
                    table.sheet(title, sub),
                    f"{self.get_filename()}_{table.name}",
                    spreadsheet_format,
                )
        body = ledger_book(workbook_sheets(self.report, self.labels))
        return file_response(body, self.get_filename(), "xlsx")

    def render_to_response(self, context, **response_kwargs):
        if self.request.GET.get("print") and not self.is_export:
            return TemplateResponse(
                self.request, "stats/reports/network_print.html", context
            )
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        report = self.report
        context.update(
            report=report,
            stats=report.stats,
            tables=self.tables,
            forum_headers=forum_headers(),
            forum_rows=forum_tier_rows(report.stats),
            paragraph=work_report_paragraph(report.stats, self.labels),
            heading=heading(report),
            subtitle=subtitle(report, self.labels),
            charts=self.chart_data(),
            drill_url=self.url_with(forum=None),
            up=self.up_link(),
        )
        return context

    def url_with(self, **changes) -> str:
        """This page's URL with some parameters changed (None drops one)."""
        params = self.request.GET.copy()
        params.pop("print", None)
        for name, value in changes.items():
            params.pop(name, None)
            if value is not None:
                params[name] = value
        query = params.urlencode()
        return reverse(self.index_url_name) + (f"?{query}&" if query else "?")

    def up_link(self) -> dict | None:
        """The forum above the one shown, if the viewer may see it."""
        if self.scope is None:
            return None
        parent = (
            ForumPage.objects.live()
            .filter(path=self.scope.path[: -ForumPage.steplen])
            .first()
        )
        if parent is None or not can_administer(self.request.user, parent):
            return None
        return {"title": parent.title, "slug": parent.slug}

    def chart_data(self) -> dict:
        report = self.report
        return {
            "months": {
                "labels": [row.label for row in report.months],
                "held": [row.sessions_held for row in report.months],
                "people": [row.participants for row in report.months],
            },
            "tiers": {
                "labels": [row.label for row in report.tiers],
                "held": [row.sessions_held for row in report.tiers],
                "people": [row.participants for row in report.tiers],
            },
            "fields": {
                "labels": [row.label for row in report.fields],
                "held": [row.sessions_held for row in report.fields],
                "people": [row.participants for row in report.fields],
            },
            "legend": {
                "held": _("Sessions held"),
                "people": _("Person-times"),
            },
        }
