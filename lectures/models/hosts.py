"""Page types that hold sessions.

A session (讲次 / 课次) is one page type wherever it sits: under a forum it is
a lecture of the network, under a training class (in `courses`) a lesson.
Lectures never import courses, so instead of naming its parents a session
accepts any creatable page type that declares itself a `SessionHost`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionKind(models.TextChoices):
    LECTURE = "lecture", _("Lecture")
    LESSON = "lesson", _("Class lesson")


class SessionHost:
    """Mixin for page types whose children may be sessions."""

    #: What a session below this page is: a forum's lecture or a class's lesson.
    session_kind: str = SessionKind.LECTURE
