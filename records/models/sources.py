"""Where study hours come from: the ledger's columns."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """The platform's two sources, then the four kinds of training elsewhere
    (`ExternalKind` has the same values)."""

    SESSIONS = "sessions", _("Lectures (讲坛)")
    LESSONS = "lessons", _("Training-class lessons")
    ASSIGNED = "assigned", _("Assigned by a higher level (上级调训)")
    PARTY_SCHOOL = "party_school", _("Party school / academy of governance")
    ONLINE = "online", _("Online academy (网络学院)")
    OTHER = "other", _("Thematic training elsewhere")
