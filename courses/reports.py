"""The training-classes report (统计 → 培训班): enrolment, attendance rate,
pass rate and completion rate of each class in the viewer's subtrees.

Registered into the lectures' 统计 submenu through its
`register_stats_menu_item` hook (see `courses.wagtail_hooks`), so `lectures`
never names classes. Every figure is a subquery over rows, one list query
whatever the number of classes:

* **Attendance rate**: present + late ÷ everyone on the lessons' rosters, over
  the lessons that have taken place (not cancelled or postponed) — the same
  rule as the network's rate.
* **Pass rate**: trainees who passed the test ÷ trainees who submitted it.
* **Completion rate**: certificates issued (结业) ÷ trainees enrolled.
"""

from datetime import date

import django_filters
from django.db.models import F, Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column

from courses.models import Attempt, Certificate, ClassPage, ClassType, Enrolment
from courses.rules import classes_for
from lectures.counting import ATTENDED, rate
from lectures.filters import ForumFilter
from lectures.models import Attendance, SessionKind, SessionStatus
from lectures.models.tree import below
from stats.filters import PeriodForm, ScopedFilterSet
from stats.views.base import StatsReportView, year_start
from training_site.formatting import period, shown
from training_site.forms import DATE_INPUT, CalendarDateFilter
from training_site.spreadsheets import Sheet

NOT_HELD = (SessionStatus.CANCELLED, SessionStatus.POSTPONED)


def _count(queryset, field: str = "pk", *, distinct: bool = False):
    """COUNT over the rows of a correlated subquery, as one value (0 if none)."""
    extra = {"template": "%(function)s(DISTINCT %(expressions)s)"} if distinct else {}
    counted = Func(F(field), function="COUNT", **extra)
    rows = queryset.order_by().annotate(n=counted).values("n")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _lesson_attendance(now):
    """Attendance at the outer class's lessons that have taken place."""
    return Attendance.objects.filter(
        session__path__startswith=OuterRef("path"),
        session__depth=OuterRef("depth") + 1,
        session__kind=SessionKind.LESSON,
        session__live=True,
        session__start__lt=now,
    ).exclude(session__status__in=NOT_HELD)


def class_rows(classes, now=None):
    """The classes annotated with every figure of the report, in one query."""
    now = now or timezone.now()
    mine = {"class_page": OuterRef("pk")}
    submitted = Attempt.objects.submitted().filter(**mine)
    return classes.annotate(
        enrolled=_count(Enrolment.objects.enrolled().filter(**mine)),
        on_roster=_count(_lesson_attendance(now)),
        attended=_count(_lesson_attendance(now).filter(status__in=ATTENDED)),
        takers=_count(submitted, "user", distinct=True),
        passed=_count(submitted.filter(passed=True), "user", distinct=True),
        issued=_count(Certificate.objects.filter(**mine)),
    )


class ClassFilterSet(ScopedFilterSet):
    start = CalendarDateFilter(
        label=gettext_lazy("Classes beginning from"),
        method=lambda qs, name, value: qs,
        widget=DATE_INPUT,
    )
    end = CalendarDateFilter(
        label=gettext_lazy("to"), method=lambda qs, name, value: qs, widget=DATE_INPUT
    )
    forum = ForumFilter(
        label=gettext_lazy("Forum (and everything below it)"),
        method=lambda qs, name, value: qs,
    )
    class_type = django_filters.ChoiceFilter(
        label=gettext_lazy("Type"),
        choices=ClassType.choices,
        empty_label=gettext_lazy("All types"),
        method=lambda qs, name, value: qs,
    )

    class Meta:
        model = ClassPage
        fields = ["start", "end", "forum", "class_type"]
        form = PeriodForm


class ClassReportView(StatsReportView):
    page_title = gettext_lazy("Training classes")
    header_icon = "group"
    index_url_name = "courses_report_classes"
    filterset_class = ClassFilterSet
    paginate_by = 50
    export_filename = "training-classes"
    list_export = ["title"]
    columns = [
        Column("title", label=gettext_lazy("Class")),
        Column("get_class_type_display", label=gettext_lazy("Type")),
        Column("start_date", label=gettext_lazy("First day")),
        Column("enrolled", label=gettext_lazy("Enrolled trainees")),
        Column("attendance_rate", label=gettext_lazy("Attendance rate (%)")),
        Column("pass_rate", label=gettext_lazy("Pass rate (%)")),
        Column("completion_rate", label=gettext_lazy("Completion rate (%)")),
    ]

    def get_filter_defaults(self) -> dict:
        return {"start": year_start().isoformat()}

    def get(self, request, *args, **kwargs):
        # No forum asked for: every class the viewer organises, including
        # those under the training index (/classes/), which no forum holds.
        self.whole = not request.GET.get("forum")
        return super().get(request, *args, **kwargs)

    @cached_property
    def period(self) -> tuple[date | None, date]:
        return self.cleaned.get("start"), self.cleaned.get(
            "end"
        ) or timezone.localdate()

    def get_queryset(self):
        if self.whole:
            classes = classes_for(self.request.user)
        else:
            classes = ClassPage.objects.filter(below(self.scope.path))
        start, end = self.period
        if start:
            classes = classes.filter(start_date__gte=start)
        classes = classes.filter(start_date__lte=end)
        if self.cleaned.get("class_type"):
            classes = classes.filter(class_type=self.cleaned["class_type"])
        return class_rows(classes.order_by("-start_date", "pk"))

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row.attendance_rate = shown(rate(row.attended, row.on_roster))
            row.pass_rate = shown(rate(row.passed, row.takers))
            row.completion_rate = shown(rate(row.issued, row.enrolled))
        return rows

    def ledger(self, object_list) -> Sheet:
        rows = self.decorate_paginated_queryset(object_list)
        total = {
            name: sum(getattr(row, name) for row in rows)
            for name in (
                "enrolled",
                "attended",
                "on_roster",
                "passed",
                "takers",
                "issued",
            )
        }
        start, end = self.period
        unit = _("all my classes") if self.whole else self.scope.title
        return self.ledger_sheet(
            rows,
            title=_("Training classes: %(unit)s") % {"unit": unit},
            subtitle=period(start, end),
            totals=[
                _("Total"),
                "",
                "",
                total["enrolled"],
                shown(rate(total["attended"], total["on_roster"])),
                shown(rate(total["passed"], total["takers"])),
                shown(rate(total["issued"], total["enrolled"])),
            ],
        )
