"""An account created or imported with an initial password sets its own
before anything else: every page but the password change, logout and the
language switch redirects there.

The flag is copied into the session at login (`people.signals`), so other
requests cost no query.
"""

from django.shortcuts import redirect
from django.urls import reverse

from people.services.passwords import SESSION_FLAG

ALLOWED_NAMES = ("password_change", "password_change_done", "logout", "set_language")


class FirstPasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_FLAG):
            allowed = {reverse(name) for name in ALLOWED_NAMES}
            if request.path not in allowed and not request.path.startswith(
                ("/static/", "/media/")
            ):
                return redirect(f"{reverse('password_change')}?first=1")
        return self.get_response(request)
