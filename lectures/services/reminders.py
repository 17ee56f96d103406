"""The day-before reminder: once per registration, however often cron runs."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lectures.models import Registration, SessionStatus
from training_site import mail
from training_site.dates import day_after, day_start


def send_reminders(day: date) -> int:
    """Remind the confirmed registrants of live, scheduled sessions on `day`."""
    with transaction.atomic():
        due = list(
            Registration.objects.confirmed()
            .select_for_update(of=("self",))
            .filter(
                reminded_at=None,
                session__live=True,
                session__status=SessionStatus.SCHEDULED,
                session__start__gte=day_start(day),
                session__start__lt=day_after(day),
            )
            .exclude(user__email="")
            .select_related("session", "user")
        )
        Registration.objects.filter(pk__in=[r.pk for r in due]).update(
            reminded_at=timezone.now()
        )
        messages = [
            (
                _("Reminder: %(title)s tomorrow") % {"title": r.session.title},
                _("%(title)s\n%(when)s, %(venue)s\nPlease arrive on time to check in.")
                % {
                    "title": r.session.title,
                    "when": timezone.localtime(r.session.start).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                    "venue": r.session.venue,
                },
                None,
                [r.user.email],
            )
            for r in due
        ]
        transaction.on_commit(lambda: mail.send_many(messages, about="reminders"))
    return len(due)
