"""The lecturers' and the trainees' reports: Wagtail listings, paginated,
exported whole in the ledger layout."""

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column

from records.services.ledger import LedgerRules
from stats import quality
from stats.filters import TraineeFilterSet
from stats.people import (
    lecturer_rows,
    trainee_rows,
    trainee_totals,
)
from stats.views.base import NetworkSelectionMixin, StatsReportView
from training_site.formatting import figure, period
from training_site.spreadsheets import Sheet


class LecturerReportView(NetworkSelectionMixin, StatsReportView):
    page_title = gettext_lazy("Lecturers")
    header_icon = "user"
    index_url_name = "stats_report_lecturers"
    paginate_by = 50
    export_filename = "lecturers"
    list_export = ["name"]
    columns = [
        Column("name", label=gettext_lazy("Lecturer")),
        Column("title", label=gettext_lazy("Professional title")),
        Column("unit", label=gettext_lazy("Unit")),
        Column("sessions_given", label=gettext_lazy("Sessions given")),
        Column("person_times", label=gettext_lazy("Person-times reached")),
        Column("score_shown", label=gettext_lazy("Evaluation score")),
        Column("satisfaction_shown", label=gettext_lazy("Satisfaction rate (%)")),
    ]

    def get_queryset(self):
        return lecturer_rows(self.query)

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        scores = quality.lecturer_scores(self.query.sessions())
        for row in rows:
            found = scores.get(row.pk, {})
            row.score_shown = figure(found.get("score"))
            row.satisfaction_shown = figure(found.get("satisfaction"))
        return rows

    def ledger(self, object_list) -> Sheet:
        rows = self.decorate_paginated_queryset(object_list)
        return self.ledger_sheet(
            rows,
            title=_("Lecturers' sessions: %(unit)s") % {"unit": self.scope_title()},
            subtitle=period(self.query.start, self.query.last_day),
            totals=[
                _("Total"),
                "",
                "",
                sum(row.sessions_given for row in rows),
                sum(row.person_times for row in rows),
                "",
                "",
            ],
        )


class TraineeReportView(StatsReportView):
    page_title = gettext_lazy("Trainees' study hours")
    header_icon = "time"
    index_url_name = "stats_report_trainees"
    filterset_class = TraineeFilterSet
    paginate_by = 50
    export_filename = "study-hours"
    list_export = ["real_name"]
    columns = [
        Column("real_name", label=gettext_lazy("Name")),
        Column("unit_display", label=gettext_lazy("Unit")),
        Column("position", label=gettext_lazy("Position")),
        Column("rank_name", label=gettext_lazy("Rank")),
        Column("hours", label=gettext_lazy("Study hours")),
        Column("quota", label=gettext_lazy("Quota")),
        Column("short_by", label=gettext_lazy("Short by")),
    ]

    def get_filter_defaults(self) -> dict:
        return {"year": str(timezone.localdate().year)}

    @cached_property
    def year(self) -> int:
        return int(self.cleaned.get("year") or timezone.localdate().year)

    def get_queryset(self):
        return trainee_rows(
            self.year,
            self.scope,
            rules=LedgerRules.for_request(self.request),
            short=bool(self.cleaned.get("short")),
        )

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["totals"] = trainee_totals(self.object_list)
        return context

    def ledger(self, object_list) -> Sheet:
        rows = list(object_list)
        totals = trainee_totals(rows)
        return self.ledger_sheet(
            rows,
            title=_("Study hours of %(year)s: %(unit)s")
            % {"year": self.year, "unit": self.scope_title()},
            subtitle=_(
                "Study hours as the study-hours record counts them (sessions, "
                "lessons, approved training elsewhere, capped per source), "
                "against each trainee's rank's yearly quota; active accounts only"
            ),
            totals=[
                _("Total"),
                _("%(n)s trainees") % {"n": totals["trainees"]},
                _("%(n)s short") % {"n": totals["short"]},
                "",
                "",
                "",
                "",
            ],
        )
