"""How figures are shown on pages, in spreadsheets and in text: one set of
formatters, so that "no value" reads the same everywhere (a dash, never a
zero) and every share has one decimal."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

DASH = "—"


def shown(value, missing: str = DASH):
    """A value as shown: no value is a dash (or `missing`), never a zero."""
    return missing if value is None else value


def rounded(value: float | Decimal | None) -> float | Decimal | None:
    """A share or a score to one decimal; None stays None."""
    return None if value is None else round(value, 1)


def figure(value: float | Decimal | None):
    """A share or a score to one decimal, or a dash."""
    return shown(rounded(value))


def percent(value: float | Decimal | None) -> str:
    """ "66.7%", or a dash."""
    return DASH if value is None else f"{value:.1f}%"


def hours(value: float | Decimal | int | None) -> str:
    """Study hours with one decimal, always: "47.0", "3.0", "1.5"."""
    return f"{Decimal(value or 0):.1f}"


def count(value: int | None) -> str:
    """A whole number with thousands separators: "19,408"; None is a dash."""
    return DASH if value is None else f"{value:,}"


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def period(start: date | None, end: date) -> str:
    """A ledger's period line; no start is a dash (from the first session)."""
    return _("Period: %(from)s – %(to)s") % {
        "from": start.isoformat() if start else DASH,
        "to": end.isoformat(),
    }


def local_minute(moment: datetime) -> str:
    """ "2026-03-05 14:30" in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
