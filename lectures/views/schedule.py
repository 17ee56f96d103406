"""The public schedule: every live session, filtered and paginated."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from lectures.filters import ScheduleFilter
from lectures.models import SessionPage
from lectures.services.overview import annotate_listing
from training_site.dates import day_start
from training_site.page_cache import public_page

PER_PAGE = 20


@public_page
def schedule(request):
    filterset = ScheduleFilter(
        request.GET, queryset=SessionPage.objects.live().for_listing()
    )
    filterset.keep_cached_with(request)
    sessions = filterset.qs
    if filterset.has_dates:
        sessions = sessions.order_by("start", "pk")
    else:
        # Without dates the schedule is what is coming, soonest first.
        today = day_start(timezone.localdate())
        sessions = sessions.filter(start__gte=today).order_by("start", "pk")
    page = Paginator(sessions, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query = query.urlencode()
    ics_path = reverse("lectures:schedule_ics") + (f"?{query}" if query else "")
    return render(
        request,
        "lectures/schedule.html",
        {
            "filter": filterset,
            "page_obj": page,
            "sessions": annotate_listing(page.object_list),
            "query": query,
            "ics_path": ics_path,
        },
    )
