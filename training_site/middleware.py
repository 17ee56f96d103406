"""Requests no honest client sends, refused before any view sees them."""

from django.http import HttpResponseBadRequest
from django.template import loader

NUL = "\x00"


def _has_nul(query) -> bool:
    return any(
        NUL in key or any(NUL in v for v in values) for key, values in query.lists()
    )


class RejectNulCharactersMiddleware:
    """A NUL character in the path, the query or a form: 400, translated.

    PostgreSQL can neither store nor compare text with a NUL in it and fails
    the query; rather than guard every lookup and field, such requests stop
    here. (Uploaded files are bytes and are not looked at.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            NUL in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            return HttpResponseBadRequest(loader.get_template("400.html").render())
        return self.get_response(request)
