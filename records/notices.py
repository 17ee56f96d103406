"""The records' kinds of notice (registered by RecordsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from training_site.notify.models import Channel
from training_site.notify.registry import Kind, register_kind

KINDS = [
    Kind(
        "records.external.approved",
        _("Training elsewhere approved"),
        _("Study hours approved: %(title)s"),
        _("Your training “%(title)s” counts for %(hours)s study hours."),
        _("Your training %(title)s counts for %(hours)s study hours."),
        channels=(Channel.EMAIL,),
    ),
    Kind(
        "records.external.refused",
        _("Training elsewhere refused"),
        _("Study hours refused: %(title)s"),
        _("Your training “%(title)s” was not accepted: %(reason)s"),
        _("Your training %(title)s was not accepted: %(reason)s"),
    ),
]


def register() -> None:
    for kind in KINDS:
        register_kind(kind)
