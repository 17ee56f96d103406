"""What a class page shows: its timetable, seats, and the visitor's own place."""

from collections import defaultdict

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from courses.models import Enrolment, EnrolmentStatus, LeaveRequest, LeaveStatus
from courses.rules import may_organise
from courses.services import enrolment as enrolment_service
from courses.services.lessons import lessons_of
from lectures.models import SessionPage
from training_site.dates import day_after
from training_site.navigation import may_administer
from training_site.personal_pages import changes_at, personal_page

# What the timetable shows of a lesson (and `pageurl` reads): not the forum,
# field and category a listing of sessions shows, nor the lesson's own text.
LESSON_FIELDS = (
    "title",
    "url_path",
    "content_type",
    "start",
    "end",
    "status",
    "venue",
    "study_hours",
)
# The breadcrumbs: each ancestor's title and link (`{% path_url %}`), read as
# two columns rather than built as pages.
LINK_FIELDS = ("title", "url_path")


def _add_lecturer_names(lessons) -> None:
    """`lesson.lecturer_names`, as the timetable shows them, from one query of
    two columns (no lecturer objects, nor a prefetch's queryset to build)."""
    names = defaultdict(list)
    if lessons:
        for lesson_id, name in (
            SessionPage.lecturers.through.objects.filter(
                sessionpage_id__in=[lesson.pk for lesson in lessons]
            )
            .order_by("lecturer__name", "lecturer_id")  # as Lecturer's ordering
            .values_list("sessionpage_id", "lecturer__name")
        ):
            names[lesson_id].append(name)
    for lesson in lessons:
        lesson.lecturer_names = "、".join(names[lesson.pk])


def class_page_context(class_page, request) -> dict:
    """The page's body, as anonymous visitors see it (the page cache keeps
    the whole page for them), or as the logged-in visitor does (rendered
    afresh: a preview, a page with flash messages, or the page
    `class_page_response` keeps)."""
    if not request.user.is_authenticated:
        return {"body": _body(class_page, request)}
    organiser = _organiser(class_page, request)
    return {"body": _body(class_page, request, organiser=organiser)}


def class_page_response(class_page, request) -> HttpResponse:
    """The page as a logged-in visitor (its trainee) sees it, header and
    all, kept for him until his enrolment, the class, its lessons, its seats
    or the clock change it (training_site/personal_pages.py)."""
    return personal_page(
        request,
        f"class:{class_page.pk}",
        lambda: render_to_string(
            class_page.get_template(request),
            class_page.get_context(request),
            request,
        ),
        # Its own URL's scope (a lesson published under it changes it): the
        # path asked, as `page_path` would work it out from the tree.
        scopes=(request.path_info,),
        pages=(class_page.pk,),  # its enrolments: the seats
        parts=(_organiser(class_page, request),),
    )


def _organiser(class_page, request) -> bool:
    # Asked for the copy's parts and again by a render: once a request.
    if not hasattr(request, "_class_organiser"):
        request._class_organiser = may_administer(request) and may_organise(
            request.user, class_page
        )
    return request._class_organiser


def _body(class_page, request, *, organiser=False) -> str:
    context = _context(class_page, request, organiser=organiser)
    changes_at(
        request,
        class_page.begins_at,
        day_after(class_page.end_date),
        class_page.enrol_opens,
        class_page.enrol_closes_at,
        class_page.test_opens,
        class_page.test_closes,
        *(lesson.end for lesson in context["lessons"]),
    )
    return render_to_string(
        "courses/includes/class_body.html",
        {**context, "page": class_page, "self": class_page},
        request,
    )


def _context(class_page, request, *, organiser) -> dict:
    now = timezone.now()
    url = class_page.get_url(request)
    lessons = list(lessons_of(class_page).only(*LESSON_FIELDS))
    _add_lecturer_names(lessons)
    context = {
        "ancestors": class_page.get_ancestors().values(*LINK_FIELDS)[1:],
        "lessons": lessons,
        "total_hours": sum((lesson.study_hours for lesson in lessons), 0),
        "seats": enrolment_service.seats(class_page),
        "enrolment_open": class_page.enrolment_open(now),
        "test_open": class_page.test_open(now),
        "feed_url": url + "feed.ics",
        "enrol_url": url + "enrol/",
        "withdraw_url": url + "withdraw/",
        "leave_url": url + "leave/",
        "test_url": url + "test/",
        "my_enrolment": None,
        "organiser": False,
        "can_withdraw": False,
        "enrolled": False,
    }
    user = request.user
    if user.is_authenticated:
        mine = Enrolment.objects.filter(class_page=class_page, user=user).first()
        shown = mine is not None and mine.status != EnrolmentStatus.WITHDRAWN
        context.update(
            my_enrolment=mine if shown else None,
            rejected=shown and mine.status == EnrolmentStatus.REJECTED,
            enrolled=shown and mine.status == EnrolmentStatus.ENROLLED,
            can_withdraw=enrolment_service.may_withdraw(class_page, mine, now),
        )
        context["my_leave"] = {
            leave.lesson_id: leave
            for leave in LeaveRequest.objects.filter(class_page=class_page, user=user)
        }
        # Managing a class is done in the admin: who may not enter it (kept
        # in his session, training_site/navigation.py) administers nothing,
        # and a trainee's view asks no permission query.
        context["organiser"] = organiser
        context["now"] = now
        for lesson in lessons:
            lesson.my_leave = context["my_leave"].get(lesson.pk)
            lesson.leave_refused = bool(
                lesson.my_leave and lesson.my_leave.status == LeaveStatus.REFUSED
            )
    return context
