"""Evaluation results in the admin, each table exportable as xlsx or csv.

Everyone sees only `visible_sessions(user)`: a lecturer his own sessions, a
forum administrator his subtree's, the district everything. Answers of a
session appear only from 3 responses on (`evaluation_results.MIN_RESPONSES`).
"""

from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from lectures import rules
from lectures.filters import ForumChoiceField
from lectures.models import Lecturer, SessionPage
from lectures.services import evaluation_results as results
from training_site.dates import day_after, day_start
from training_site.formatting import local_minute, rounded
from training_site.forms import DATE_INPUT, CalendarDateField
from training_site.spreadsheets import Column, Sheet, sheet_response


class SelectionForm(forms.Form):
    """Period (by the sessions' start), forum subtree, lecturer."""

    start = CalendarDateField(
        label=gettext_lazy("From"), required=False, widget=DATE_INPUT
    )
    end = CalendarDateField(label=gettext_lazy("To"), required=False, widget=DATE_INPUT)
    forum = ForumChoiceField(label=gettext_lazy("Forum"), required=False)
    lecturer = forms.ModelChoiceField(
        label=gettext_lazy("Lecturer"),
        queryset=Lecturer.objects.all(),
        required=False,
        widget=forms.HiddenInput,
    )

    def select(self, sessions):
        if not self.is_valid():
            return sessions
        data = self.cleaned_data
        if data["start"]:
            sessions = sessions.filter(start__gte=day_start(data["start"]))
        if data["end"]:
            sessions = sessions.filter(start__lt=day_after(data["end"]))
        if data["forum"]:
            sessions = sessions.in_subtree(data["forum"])
        if data["lecturer"]:
            sessions = sessions.filter(
                pk__in=SessionPage.objects.filter(lecturers=data["lecturer"]).values(
                    "pk"
                )
            )
        return sessions


class ResultsMixin(SpreadsheetExportMixin, WagtailAdminTemplateMixin):
    """Scope, selection form, export and the links between the reports."""

    header_icon = "pick"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if not rules.may_see_results(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def selection_form(self) -> SelectionForm:
        return SelectionForm(self.request.GET)

    @cached_property
    def sessions(self):
        """Ended sessions in the user's scope and the selection."""
        scoped = rules.visible_sessions(self.request.user).filter(
            end__lte=timezone.now()
        )
        return self.selection_form.select(scoped)

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.as_spreadsheet(self.export_rows(), request.GET["export"])
        return super().get(request, *args, **kwargs)

    def as_spreadsheet(self, rows, spreadsheet_format):
        """A plain table (headers on the first row) through the ledger writer."""
        sheet = Sheet.of(self.export_columns, rows, name=str(self.get_page_title()))
        return sheet_response(sheet, self.get_filename(), spreadsheet_format)

    def export_rows(self):
        raise NotImplementedError

    def paginate(self, rows):
        return Paginator(rows, self.paginate_by).get_page(self.request.GET.get("p"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("p", None)
        query.pop("export", None)
        context.update(
            selection_form=self.selection_form,
            query=query.urlencode(),
            report_links=[
                (_("Sessions"), reverse("lectures_evaluations")),
                (_("Indicators"), reverse("lectures_evaluation_indicators")),
                (_("Lecturer ranking"), reverse("lectures_evaluation_ranking")),
            ],
            min_responses=results.MIN_RESPONSES,
        )
        return context


def _columns(*pairs) -> tuple[Column, ...]:
    """(attribute, header) pairs as the columns of a download."""
    return tuple(Column(header, attrgetter(name)) for name, header in pairs)


SESSION_COLUMNS = _columns(
    ("title", gettext_lazy("Session")),
    ("start_shown", gettext_lazy("Start")),
    ("forum_title", gettext_lazy("Forum")),
    ("lecturer_names", gettext_lazy("Lecturers")),
    ("attendees", gettext_lazy("Attendees")),
    ("responses", gettext_lazy("Responses")),
    ("rate", gettext_lazy("Response rate (%)")),
    ("score_shown", gettext_lazy("Weighted score")),
    ("satisfaction_shown", gettext_lazy("Satisfaction rate (%)")),
)


@dataclass
class SessionRow:
    """A session's line in the sessions table and its export."""

    session: SessionPage

    def __getattr__(self, name):
        return getattr(self.session, name)

    @property
    def start_shown(self) -> str:
        return local_minute(self.session.start)

    @property
    def forum_title(self):
        return self.session.forum.title if self.session.forum else ""

    @property
    def lecturer_names(self):
        return "、".join(lecturer.name for lecturer in self.session.lecturers.all())

    @property
    def rate(self):
        return rounded(self.session.response_rate)

    @property
    def score_shown(self):
        return rounded(self.session.score)

    @property
    def satisfaction_shown(self):
        return rounded(self.session.satisfaction)


class SessionsReport(ResultsMixin, TemplateView):
    """Each ended session: attendees, responses, rate, score, satisfaction."""

    template_name = "lectures/admin/evaluations/sessions.html"
    page_title = gettext_lazy("Teaching-quality evaluations")
    export_columns = SESSION_COLUMNS
    export_filename = "evaluations-sessions"

    def rows(self):
        return results.with_figures(self.sessions).order_by("-start", "pk")

    def export_rows(self):
        return [SessionRow(session) for session in self.rows()]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.paginate(self.rows())
        context.update(
            page_obj=page,
            rows=[SessionRow(session) for session in page.object_list],
            summary=results.summary(self.sessions),
        )
        return context


INDICATOR_COLUMNS = _columns(
    ("form", gettext_lazy("Evaluation form")),
    ("name", gettext_lazy("Indicator")),
    ("weight", gettext_lazy("Weight")),
    ("ratings", gettext_lazy("Ratings")),
    ("distribution", gettext_lazy("Distribution")),
    ("score_shown", gettext_lazy("Score")),
    ("satisfaction_shown", gettext_lazy("Satisfaction rate (%)")),
)


@dataclass
class ShownLine:
    """A results row as a table line: its fields, plus scores as shown."""

    row: results.IndicatorRow | results.RankingRow

    def __getattr__(self, name):
        return getattr(self.row, name)

    @property
    def score_shown(self):
        return rounded(self.row.score)

    @property
    def satisfaction_shown(self):
        return rounded(self.row.satisfaction)


class IndicatorLine(ShownLine):
    @property
    def distribution(self):
        return "；".join(
            f"{level.label} {level.count}（{rounded(level.share) or 0}%）"
            for level in self.row.levels
        )


class IndicatorsReport(ResultsMixin, TemplateView):
    """Each indicator's distribution and score over the selection."""

    template_name = "lectures/admin/evaluations/indicators.html"
    page_title = gettext_lazy("Evaluations by indicator")
    export_columns = INDICATOR_COLUMNS
    export_filename = "evaluations-indicators"

    def export_rows(self):
        return [IndicatorLine(row) for row in results.indicator_rows(self.sessions)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(lines=self.export_rows(), summary=results.summary(self.sessions))
        return context


RANKING_COLUMNS = _columns(
    ("rank", pgettext_lazy("a place in a ranking", "Rank")),
    ("name", gettext_lazy("Lecturer")),
    ("sessions", gettext_lazy("Sessions")),
    ("responses", gettext_lazy("Responses")),
    ("score_shown", gettext_lazy("Weighted score")),
    ("satisfaction_shown", gettext_lazy("Satisfaction rate (%)")),
)


class RankingReport(ResultsMixin, TemplateView):
    """Lecturers by weighted score, with their sessions and responses."""

    template_name = "lectures/admin/evaluations/ranking.html"
    page_title = gettext_lazy("Lecturer ranking")
    export_columns = RANKING_COLUMNS
    export_filename = "evaluations-lecturers"

    def export_rows(self):
        return [ShownLine(row) for row in results.lecturer_ranking(self.sessions)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.paginate(self.export_rows())
        context.update(page_obj=page, lines=page.object_list)
        return context


COMMENT_COLUMNS = (Column(gettext_lazy("Comment"), str),)


class SessionResult(ResultsMixin, TemplateView):
    """One session: summary, indicators, comments (`?table=comments` to export)."""

    template_name = "lectures/admin/evaluations/session.html"
    export_columns = INDICATOR_COLUMNS

    @cached_property
    def session(self) -> SessionPage:
        session = get_object_or_404(
            SessionPage.objects.select_related("forum"), pk=self.kwargs["pk"]
        )
        visible = rules.visible_sessions(self.request.user)
        if not visible.filter(pk=session.pk).exists():
            raise PermissionDenied
        return session

    @cached_property
    def one(self):
        return SessionPage.objects.filter(pk=self.session.pk)

    def get_page_title(self):
        return self.session.title

    def get_filename(self):
        table = "comments" if self.exporting_comments else "indicators"
        return f"evaluation-{self.session.pk}-{table}"

    @property
    def exporting_comments(self) -> bool:
        return self.request.GET.get("table") == "comments"

    def export_rows(self):
        if self.exporting_comments:
            self.export_columns = COMMENT_COLUMNS
            return list(results.comments(self.session))
        return [IndicatorLine(row) for row in results.indicator_rows(self.one)]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summary = results.summary(self.one)
        shown = summary.responses >= results.MIN_RESPONSES
        context.update(
            session=self.session,
            lecturers=list(self.session.lecturers.all()),
            summary=summary,
            shown=shown,
            lines=self.export_rows() if shown else [],
            comments=results.comments(self.session) if shown else [],
        )
        return context
