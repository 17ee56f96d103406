"""The read-only API (Wagtail's v2), with its search taking any text.

Wagtail hands `search` and `search_operator` to the search backend as they
come, and three kinds of input made a 500: an operator other than "and" or
"or" (the backend raises ValueError), a search of only spaces (the backend
builds no query at all), and a double quote (SQLite's full-text syntax
error). Here a wrong operator is a 400 saying what is allowed, like the
API's other refusals, and the search text loses its double quotes and is
trimmed — nothing left finds nothing, as an empty search does. An offset
past what SQLite's 64-bit integers hold (a 500 there) is a 400 like any other
offset Wagtail refuses.
"""

from django.utils.translation import gettext as _
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

OPERATORS = ("and", "or")
# Far beyond any count of pages, and offset + limit stays inside the signed
# 64-bit integers a database takes.
MAX_OFFSET = 10**15


class CheckedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0").strip()
        if offset.isdigit() and int(offset) > MAX_OFFSET:
            raise BadRequestError(_("offset is too large."))
        return super().paginate_queryset(queryset, request, view)


class CheckedSearchFilter(SearchFilter):
    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return super().filter_queryset(request, queryset, view)
        operator = request.GET.get("search_operator")
        if operator is not None and operator not in OPERATORS:
            raise BadRequestError(_("search_operator must be “and” or “or”."))
        text = request.GET["search"].replace('"', " ").strip()
        if not text:
            return queryset.none()
        query = request.GET.copy()
        query["search"] = text
        request._request.GET = query  # what Wagtail's filter reads
        return super().filter_queryset(request, queryset, view)


def checked(viewset):
    """`viewset` with its search filter checked (kept last, as Wagtail needs)."""
    backends = [
        CheckedSearchFilter if backend is SearchFilter else backend
        for backend in viewset.filter_backends
    ]
    return type(
        viewset.__name__,
        (viewset,),
        {"filter_backends": backends, "pagination_class": CheckedPagination},
    )


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", checked(PagesAPIViewSet))
api_router.register_endpoint("images", checked(ImagesAPIViewSet))
api_router.register_endpoint("documents", checked(DocumentsAPIViewSet))
