import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template import loader
from django.templatetags.static import static

# How long a client should wait before trying again when the database is busy.
RETRY_AFTER_SECONDS = 5


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page's `<link rel="icon">` says."""
    return HttpResponsePermanentRedirect(static("training_site/favicon.svg"))


def healthz(request):
    """For load balancers: 200 after a real database round trip, 503 without one."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})


def database_unavailable(error: BaseException | None) -> bool:
    """A fault of the database's availability, not of our code.

    `OperationalError` covers SQLite's "database is locked" after the busy
    timeout has run out (SQLite itself retried until then) and a server that
    cannot be reached; `InterfaceError` a connection that went away.
    """
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request):
    """handler500: a translated page that needs no database.

    Rendered without the request, so no context processor touches the
    session or the user. A database that is busy or gone answers 503 with
    Retry-After, so clients and load balancers try again; anything else 500.
    """
    if database_unavailable(sys.exc_info()[1]):
        body = loader.get_template("503.html").render()
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
