"""Sending mail after a change is committed, without letting a failed mail
undo the answer.

The change (a registration, a decision) is already in the database when the
mail goes; a mail server that refuses must not turn it into an error page.
A failed mail is logged with its traceback (what it was about and how many
recipients, never their addresses) and the caller carries on. A later
notification service will queue and retry; until then this is the one door.
"""

import logging
from collections.abc import Sequence

from django.core.mail import send_mail, send_mass_mail

logger = logging.getLogger(__name__)


def send(subject: str, body: str, recipients: Sequence[str], *, about: str) -> bool:
    """One mail now; whether it went. `about` names it in the log."""
    try:
        send_mail(subject, body, None, list(recipients))
    except Exception:  # any failure of the backend; the change stands
        logger.exception("mail %s to %d recipient(s) failed", about, len(recipients))
        return False
    return True


def send_many(messages: Sequence[tuple], *, about: str) -> int:
    """(subject, body, from, recipients) tuples over one connection; how many
    went (none if the connection failed)."""
    try:
        return send_mass_mail(messages)
    except Exception:  # any failure of the backend; the change stands
        logger.exception("%d mail(s) %s failed", len(messages), about)
        return 0
