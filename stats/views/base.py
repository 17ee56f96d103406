"""What every 统计 page shares: who may look, which subtree, the filters,
the refusals and the ledger (台账) exports.

Built on Wagtail's `ReportView` (its listing, header buttons and
`SpreadsheetExportMixin`); the spreadsheet writer is replaced by the ledger
layout organisers print — a title row with the unit, the period line, merged
group headers and a totals row — which Wagtail's flat writer cannot make.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.admin.views.reports import ReportView

from stats.filters import NetworkFilterSet
from stats.query import ReportQuery
from stats.rules import ScopeError, check_scope, may_see_reports
from training_site.spreadsheets import Sheet, export_name, sheet_response


def year_start(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today.replace(month=1, day=1)


class StatsReportView(ReportView):
    header_icon = "table"
    paginate_by = None
    template_name = "stats/reports/report.html"
    results_template_name = "stats/reports/table.html"
    #: Filter values used when the request does not name them at all (an
    #: empty value is a choice: no start means from the first session).
    filter_defaults: dict = {}

    def dispatch(self, request, *args, **kwargs):
        if not may_see_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filterset_kwargs(self):
        data = self.request.GET.copy()
        for name, value in self.get_filter_defaults().items():
            data.setdefault(name, value)
        return {"data": data, "request": self.request}

    def get_filter_defaults(self) -> dict:
        return dict(self.filter_defaults)

    @cached_property
    def cleaned(self) -> dict:
        return self.filters.form.cleaned_data if self.filters else {}

    def filter_queryset(self, queryset):
        return queryset  # the report services apply the filters

    def get(self, request, *args, **kwargs):
        if self.filters and not self.filters.is_valid():
            return self.bad_filters()
        try:
            self.scope = check_scope(request.user, self.cleaned.get("forum"))
        except ScopeError as error:
            return self.refuse(error.message)
        return super().get(request, *args, **kwargs)

    # Refusals -------------------------------------------------------------

    def filter_errors(self) -> list[str]:
        form = self.filters.form
        errors = []
        for name, messages in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for message in messages:
                errors.append(f"{label}: {message}" if label else message)
        return errors

    def bad_filters(self):
        errors = self.filter_errors()
        if self.is_export:
            return HttpResponse(
                "\n".join(errors), status=400, content_type="text/plain; charset=utf-8"
            )
        return TemplateResponse(
            self.request,
            self.template_name,
            {**self.base_context(), "errors": errors},
            status=400,
        )

    def refuse(self, message: str):
        if self.is_export:
            return HttpResponse(
                message, status=403, content_type="text/plain; charset=utf-8"
            )
        return TemplateResponse(
            self.request,
            "stats/reports/refused.html",
            {**self.base_context(), "message": message},
            status=403,
        )

    def base_context(self) -> dict:
        return {
            "view": self,
            "page_title": self.page_title,
            "header_icon": self.header_icon,
            "filter_form": self.filters.form if self.filters else None,
        }

    # Page -----------------------------------------------------------------

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["filter_form"] = self.filters.form if self.filters else None
        context["filters"] = None  # the form sits on the page, not in a drawer
        context["scope"] = self.scope
        return context

    # Ledger exports -------------------------------------------------------

    def ledger(self, object_list) -> Sheet:
        raise NotImplementedError

    def ledger_sheet(self, rows, **kwargs) -> Sheet:
        """The listing's own columns, every row, in the ledger layout."""
        return Sheet(
            headers=[str(column.label) for column in self.columns],
            rows=[[column.get_value(row) for column in self.columns] for row in rows],
            **kwargs,
        )

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return sheet_response(
            self.ledger(queryset), self.get_filename(), spreadsheet_format
        )

    def scope_title(self) -> str:
        return self.scope.title if self.scope else _("the whole district")


class NetworkSelectionMixin:
    """Reports filtered like the network (`NetworkFilterSet`): this year by
    default, and the selection the filters ask for within the viewer's scope."""

    filterset_class = NetworkFilterSet

    def get_filter_defaults(self) -> dict:
        return {"start": year_start().isoformat()}

    def get_filename(self) -> str:
        """What and when: 讲坛网络统计_城关镇_2026-01-01_2026-12-03."""
        query = self.query
        scope = self.scope.unit_name or self.scope.title if self.scope else ""
        return export_name(
            self.page_title, scope or self.scope_title(), query.start, query.last_day
        )

    @cached_property
    def query(self) -> ReportQuery:
        data = self.cleaned
        return ReportQuery(
            start=data.get("start"),
            end=data.get("end"),
            forum=self.scope,
            field=data.get("field"),
            category=data.get("category"),
            level=data.get("level") or None,
        )
