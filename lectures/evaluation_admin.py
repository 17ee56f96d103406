"""Admin for evaluations: the indicator tables and the results menu.

Registered from `wagtail_hooks.py`.
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from lectures import rules
from lectures.models import EvaluationForm, SessionEvaluation
from lectures.views import evaluation_reports as reports


class EvaluationFormAdminForm(WagtailAdminModelForm):
    """A table in use keeps its scale, its indicators and their weights.

    Names, descriptions and the order may change; anything that would change
    a figure already given is refused — copy the table for a new version.
    """

    def is_valid(self):
        valid = super().is_valid()
        if not valid or not self.instance.pk:
            return valid
        if not SessionEvaluation.objects.filter(form=self.instance).exists():
            return valid
        if "scale" in self.changed_data:
            self.add_error(
                "scale", _("This table has been used; its scale can no longer change.")
            )
        indicators = self.formsets["indicators"]
        for form in indicators.forms:
            if not form.instance.pk and form.has_changed():
                problem = _("This table has been used; indicators cannot be added.")
            elif form in indicators.deleted_forms and form.instance.pk:
                problem = _("This table has been used; indicators cannot be removed.")
            elif "weight" in form.changed_data:
                problem = _("This table has been used; weights can no longer change.")
            else:
                continue
            self.add_error(None, problem)
        return not self.errors


class EvaluationFormViewSet(SnippetViewSet):
    model = EvaluationForm
    icon = "form"
    menu_label = _("Evaluation forms")
    add_to_admin_menu = False
    list_display = ["name", "scale", "is_default"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("scale"), FieldPanel("is_default")]),
            FieldPanel("introduction"),
            FieldPanel("allow_comments"),
            InlinePanel(
                "indicators",
                label=_("Indicator"),
                heading=_("Indicators"),
                min_num=1,
                panels=[
                    FieldRowPanel([FieldPanel("name"), FieldPanel("weight")]),
                    FieldPanel("description"),
                ],
            ),
        ],
        base_form_class=EvaluationFormAdminForm,
    )


def urls():
    return [
        path(
            "evaluations/",
            reports.SessionsReport.as_view(),
            name="lectures_evaluations",
        ),
        path(
            "evaluations/indicators/",
            reports.IndicatorsReport.as_view(),
            name="lectures_evaluation_indicators",
        ),
        path(
            "evaluations/lecturers/",
            reports.RankingReport.as_view(),
            name="lectures_evaluation_ranking",
        ),
        path(
            "evaluations/session/<int:pk>/",
            reports.SessionResult.as_view(),
            name="lectures_evaluation_session",
        ),
    ]


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.may_see_results(request.user)


class FormsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("lectures.view_evaluationform") or (
            request.user.has_perm("lectures.change_evaluationform")
        )


def menu_item():
    menu = Menu(
        items=[
            ResultsMenuItem(
                _("Results by session"), reverse("lectures_evaluations"), order=10
            ),
            ResultsMenuItem(
                _("Results by indicator"),
                reverse("lectures_evaluation_indicators"),
                order=20,
            ),
            ResultsMenuItem(
                _("Lecturer ranking"), reverse("lectures_evaluation_ranking"), order=30
            ),
            FormsMenuItem(
                _("Evaluation forms"),
                reverse("wagtailsnippets_lectures_evaluationform:list"),
                order=40,
            ),
        ]
    )
    return SubmenuMenuItem(
        _("Evaluations"), menu, icon_name="pick", name="evaluations", order=175
    )
