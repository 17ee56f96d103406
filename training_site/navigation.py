"""What the site header needs to know about the visitor.

Whether to show the "Administration" link: Django answers `has_perm` by
loading all of the user's permissions, two queries on every page a
logged-in user sees — every check-in of a rush among them — for a link.
The answer is kept in his session from the first page that asks: a
permission granted later shows the link after his next login, and a link
left after one is withdrawn leads to the admin, which checks for itself.
"""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject

SESSION_KEY = "may_administer"


def may_administer(request, user=None) -> bool:
    user = user or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    session = getattr(request, "session", None)
    known = session.get(SESSION_KEY) if session is not None else None
    if known is None:
        known = user.has_perm("wagtailadmin.access_admin")
        if session is not None:
            session[SESSION_KEY] = known
    return known


def header(request) -> dict:
    """Context processor: `may_administer`, asked only if a template uses it."""
    return {"may_administer": SimpleLazyObject(lambda: may_administer(request))}


@receiver(user_logged_in)
def ask_at_login(sender, request, user, **kwargs):
    # Asked afresh at each login, and stored with the login's own session
    # write rather than a write on his next page.
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
        may_administer(request, user)
