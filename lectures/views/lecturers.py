"""Public lecturer pages: professional profile and sessions, nothing personal."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from lectures.models import Lecturer, SessionPage
from training_site.page_cache import public_page

PER_PAGE = 24


@public_page
def lecturer_list(request):
    lecturers = Lecturer.objects.select_related("photo").prefetch_related("fields")
    page = Paginator(lecturers, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "lectures/lecturer_list.html",
        {"page_obj": page, "lecturers": page.object_list},
    )


@public_page
def lecturer_detail(request, pk: int):
    lecturer = get_object_or_404(
        Lecturer.objects.select_related("photo").prefetch_related("fields"), pk=pk
    )
    sessions = (
        SessionPage.objects.live()
        .filter(lecturers=lecturer)
        .for_listing()
        .order_by("-start")
    )
    page = Paginator(sessions, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "lectures/lecturer_detail.html",
        {"lecturer": lecturer, "page_obj": page, "sessions": page.object_list},
    )
