"""统计 → 点单: the orders of the viewer's subtree, as ledger tables.

Registered into the 统计 menu through `register_stats_menu_item`; built on
the stats app's report view (its filters, subtree scope, refusals), so the
orders are selected as every report selects. Every table is a `Sheet`: the
page shows them, `?export=xlsx` writes them all into one workbook, and
`?export=csv` the table by forum.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stats.views.base import NetworkSelectionMixin, StatsReportView
from topics.services import figures
from training_site.formatting import DASH
from training_site.spreadsheets import Sheet, file_response, ledger_book, sheet_response

STATE_HEADERS = (
    gettext_lazy("Placed"),
    gettext_lazy("Dispatched"),
    gettext_lazy("Accepted"),
    gettext_lazy("Held"),
    gettext_lazy("Fulfilled"),
    gettext_lazy("Declined"),
    gettext_lazy("Cancelled"),
    gettext_lazy("Overdue"),
)


def _states(row: dict) -> list:
    return [row[name] for name in figures.FIGURES]


class OrderReportView(NetworkSelectionMixin, StatsReportView):
    page_title = gettext_lazy("Lectures on demand")
    header_icon = "tasks"
    index_url_name = "topics_report_orders"
    export_filename = "orders"
    results_template_name = "topics/admin/report_tables.html"
    columns = []

    def get_queryset(self):
        return []

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["sheets"] = self.sheets()
        return context

    def as_spreadsheet(self, queryset, spreadsheet_format):
        sheets = self.sheets()
        if spreadsheet_format == "csv":
            return sheet_response(sheets[2], self.get_filename(), "csv")
        return file_response(ledger_book(sheets), self.get_filename(), "xlsx")

    def subtitle(self) -> str:
        start = self.query.start.isoformat() if self.query.start else DASH
        return _("%(unit)s · period: %(from)s – %(to)s") % {
            "unit": self.scope_title(),
            "from": start,
            "to": self.query.last_day.isoformat(),
        }

    def sheets(self) -> list[Sheet]:
        if hasattr(self, "_sheets"):
            return self._sheets
        orders = figures.orders_of(self.query)
        total = figures.totals(orders)
        subtitle = self.subtitle()
        states = [str(h) for h in STATE_HEADERS]
        totals = [_("Total"), *_states(total)]
        rural = figures.rural_delivery(self.query)
        self._sheets = [
            Sheet(
                title=_("Orders by tier"),
                subtitle=subtitle,
                headers=[_("Tier"), *states],
                rows=[[row["label"], *_states(row)] for row in figures.by_tier(orders)],
                totals=totals,
            ),
            Sheet(
                title=_("Orders by month"),
                subtitle=subtitle,
                headers=[_("Month"), *states],
                rows=[
                    [row["month"].strftime("%Y-%m"), *_states(row)]
                    for row in figures.by_month(orders)
                ],
                totals=totals,
            ),
            Sheet(
                title=_("Orders by forum"),
                subtitle=subtitle,
                headers=[_("Ordering forum"), *states],
                rows=[
                    [row["forum__title"], *_states(row)]
                    for row in figures.by_forum(orders)
                ],
                totals=totals,
            ),
            Sheet(
                title=_("Lecturers' orders"),
                subtitle=subtitle,
                headers=[
                    _("Lecturer"),
                    _("Unit"),
                    _("Dispatched to him"),
                    _("Waiting for him"),
                    _("Accepted"),
                    _("Held"),
                    _("Fulfilled"),
                ],
                rows=[
                    [
                        row["lecturer__name"],
                        row["lecturer__unit"],
                        row["dispatched"],
                        row["waiting"],
                        row["accepted"],
                        row["held"],
                        row["fulfilled"],
                    ]
                    for row in figures.by_lecturer(orders)
                ],
            ),
            Sheet(
                title=_("Asked for beyond their lecturers"),
                subtitle=subtitle,
                headers=[
                    _("Topic"),
                    _("Orders"),
                    _("Waiting to be dispatched"),
                    _("Trainees asking"),
                    _("Lecturers offering it"),
                ],
                rows=[
                    [
                        row["title"],
                        row["ordered"],
                        row["waiting"],
                        row["asking"],
                        row["lecturer_count"],
                    ]
                    for row in figures.under_served(self.query, orders)
                ],
            ),
            Sheet(
                title=_("Lectures taken to the villages (送课下乡)"),
                subtitle=subtitle,
                headers=[
                    _("Held in village forums by lecturers from above"),
                    _("Of them ordered"),
                ],
                rows=[[rural["sessions"], rural["ordered"]]],
            ),
        ]
        return self._sheets
