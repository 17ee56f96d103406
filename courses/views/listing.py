"""`/classes/`: every live training class, filtered, newest first."""

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from courses.filters import ClassFilter
from courses.models import ClassPage, Enrolment, EnrolmentStatus
from lectures.models import SessionKind, SessionPage

PER_PAGE = 20


def annotated_classes():
    """Live classes with their lesson count, and seats taken, in one query."""
    lessons = (
        SessionPage.objects.live()
        .filter(kind=SessionKind.LESSON, path__startswith=OuterRef("path"))
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
        .values("n")
    )
    enrolled = (
        Enrolment.objects.filter(
            class_page=OuterRef("pk"), status=EnrolmentStatus.ENROLLED
        )
        .order_by()
        .values("class_page")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return ClassPage.objects.live().annotate(
        lesson_count=Coalesce(Subquery(lessons), 0),
        enrolled_count=Coalesce(Subquery(enrolled), 0),
    )


def class_listing_context(request) -> dict:
    filterset = ClassFilter(request.GET, queryset=annotated_classes())
    classes = filterset.qs.order_by("-start_date", "pk")
    page = Paginator(classes, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter": filterset,
        "page_obj": page,
        "classes": page.object_list,
        "query": query.urlencode(),
    }
