"""The coverage warnings' kinds of notice (the monthly `hours_warnings`).

Registered by `StatsConfig.ready`; `stats.warnings` sends them.
"""

from django.utils.translation import gettext_lazy as _

from training_site.notify.models import Channel
from training_site.notify.registry import Kind, register_kind

KINDS = [
    Kind(
        "stats.hours.behind",
        _("Study hours behind the pro-rata quota"),
        _("Study hours: %(hours)s, %(expected)s due by now"),
        _(
            "By %(day)s you have %(hours)s study hours that count this year; "
            "your rank's quota is %(quota)s a year, so %(expected)s would be "
            "on track by now: you are %(short)s behind. Sessions to attend are "
            "on the schedule; training elsewhere can be recorded on your page."
        ),
        _("Study hours: %(hours)s of %(expected)s due by %(day)s. See the schedule."),
    ),
    Kind(
        "stats.hours.behind_list",
        _("Cadres behind their study hours (list for the unit)"),
        _("%(unit)s: %(count)s cadres behind their study hours"),
        _(
            "By %(day)s these cadres of %(unit)s are behind the share of their "
            "yearly study-hours quota the year calls for (hours that count / "
            "due by now):\n%(names)s\nThe coverage report has the whole list."
        ),
        _("%(unit)s: %(count)s cadres behind their study hours; see the admin."),
        channels=(Channel.EMAIL,),
    ),
]


def register() -> None:
    for kind in KINDS:
        register_kind(kind)
