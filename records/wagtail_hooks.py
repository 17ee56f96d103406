"""Registration only: the /me/ panel, the demo, menus and admin URLs."""

from datetime import date

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from records import rules, views
from records.models import ExternalTraining
from records.services import external
from records.services.ledger import LedgerRules, ledger
from training_site.dates import day_start
from training_site.personal_pages import changes_at


@hooks.register("trainee_page_panels", order=-10)
def my_hours_panel(request):
    """His study hours this year by source, against his rank's quota."""
    year = timezone.localdate().year
    rules_in_force = LedgerRules.for_request(request)
    # /me/ is kept (training_site/personal_pages.py): next year is another.
    changes_at(request, day_start(date(year + 1, 1, 1)))
    return render_to_string(
        "records/includes/me_hours.html",
        {
            "ledger": ledger(request.user, year, rules=rules_in_force),
            "can_record": rules.can_record_own(request.user),
            "last_year": year - 1,
            "elsewhere": ExternalTraining.objects.filter(user=request.user)[:20],
        },
        request=request,
    )


@hooks.register("register_admin_urls")
def records_admin_urls():
    return [
        path("records/external/", views.external_list, name="records_external"),
        path(
            "records/external/<int:pk>/decide/",
            views.external_decide,
            name="records_external_decide",
        ),
        path(
            "records/external/import/",
            views.external_import,
            name="records_external_import",
        ),
        path(
            "records/external/import/template.xlsx",
            views.external_import_template,
            name="records_external_import_template",
        ),
        path(
            "records/files/<int:pk>/", views.training_file, name="records_training_file"
        ),
        path(
            "records/external/<int:pk>/evidence/",
            views.external_evidence,
            name="records_external_evidence",
        ),
    ]


class ReviewerMenuItem(MenuItem):
    def is_shown(self, request):
        return rules.may_review_any(request.user)


@hooks.register("register_admin_menu_item")
def external_menu_item():
    return ReviewerMenuItem(
        _("Training elsewhere"),
        reverse("records_external"),
        icon_name="doc-full",
        order=145,
    )


@hooks.register("register_log_actions")
def records_log_actions(actions):
    for action, label in external.ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("reset_demo")
def reset_demo_records():
    ExternalTraining.objects.all().delete()
