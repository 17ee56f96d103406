"""Training elsewhere: recorded by the cadre (or his administrators, one or
a spreadsheet of many), then approved — as claimed or adjusted — or
refused with a reason by his unit's administrators (`records.rules`).

Each step owns its transaction and locks the row, so two administrators
deciding at once decide once; each leaves a log entry and tells the cadre
(`training_site.notify`, in the same transaction).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from lectures.services.errors import ServiceError
from records import rules
from records.models import ExternalStatus, ExternalTraining
from training_site.notify.service import notify

ACTIONS = {
    "records.external.recorded": gettext_lazy("Training elsewhere recorded"),
    "records.external.approved": gettext_lazy("Training elsewhere approved"),
    "records.external.refused": gettext_lazy("Training elsewhere refused"),
}
MAX_HOURS = Decimal("999.9")


class RecordsError(ServiceError):
    pass


def check_facts(*, start_date: date, end_date: date, hours: Decimal) -> None:
    """The rules a course's dates and hours keep, wherever it is recorded."""
    if end_date < start_date:
        raise RecordsError("dates", _("The course ends before it starts."))
    if end_date > timezone.localdate():
        raise RecordsError(
            "future", _("Record a course once it has ended (its last day is ahead).")
        )
    if not Decimal("0") < hours <= MAX_HOURS:
        raise RecordsError(
            "hours", _("The hours must be more than 0 and at most 999.9.")
        )


@transaction.atomic
def record_external(user, *, by=None, evidence=None, **facts) -> ExternalTraining:
    """A course elsewhere for `user`, waiting for approval. `facts`: kind,
    title, organiser, start_date, end_date, hours_claimed."""
    check_facts(
        start_date=facts["start_date"],
        end_date=facts["end_date"],
        hours=facts["hours_claimed"],
    )
    training = ExternalTraining.objects.create(
        user=user, recorded_by=by or user, evidence=evidence or "", **facts
    )
    log(instance=training, action="records.external.recorded", user=by or user)
    return training


def _pending(actor, training: ExternalTraining) -> ExternalTraining:
    locked = ExternalTraining.objects.select_for_update().get(pk=training.pk)
    if not rules.can_review(actor, locked):
        raise RecordsError("outside", _("You may not decide on this training."))
    if locked.status != ExternalStatus.PENDING:
        raise RecordsError("decided", _("This training has already been decided."))
    return locked


@transaction.atomic
def approve(actor, training: ExternalTraining, *, hours: Decimal | None = None):
    """Approve the hours claimed, or `hours` (fewer: adjusted)."""
    training = _pending(actor, training)
    hours = training.hours_claimed if hours is None else hours
    if not Decimal("0") < hours <= training.hours_claimed:
        raise RecordsError(
            "hours",
            _("Approve more than 0 and at most the %(claimed)s hours claimed.")
            % {"claimed": training.hours_claimed},
        )
    training.status = ExternalStatus.APPROVED
    training.hours = hours
    training.reason = ""
    training.decided_by = actor
    training.decided_at = timezone.now()
    training.save()
    log(instance=training, action="records.external.approved", user=actor)
    notify(
        [training.user_id],
        "records.external.approved",
        {"title": training.title, "hours": hours},
        link="/me/",
    )
    return training


@transaction.atomic
def refuse(actor, training: ExternalTraining, *, reason: str):
    """Refuse it, saying why."""
    reason = reason.strip()
    if not reason:
        raise RecordsError("reason", _("Say why it is refused."))
    training = _pending(actor, training)
    training.status = ExternalStatus.REFUSED
    training.hours = None
    training.reason = reason[:200]
    training.decided_by = actor
    training.decided_at = timezone.now()
    training.save()
    log(instance=training, action="records.external.refused", user=actor)
    notify(
        [training.user_id],
        "records.external.refused",
        {"title": training.title, "reason": training.reason},
        link="/me/",
    )
    return training
