"""Registration only: the /me/ panel, the demo, menus and admin URLs."""

from django.template.loader import render_to_string
from django.utils import timezone
from wagtail import hooks

from records.services.ledger import LedgerRules, ledger


@hooks.register("trainee_page_panels", order=-10)
def my_hours_panel(request):
    """His study hours this year by source, against his rank's quota."""
    year = timezone.localdate().year
    return render_to_string(
        "records/includes/me_hours.html",
        {"ledger": ledger(request.user, year, rules=LedgerRules.for_request(request))},
        request=request,
    )
