from django.urls import path, re_path

from lectures.views import calendars, lecturers, me, schedule

app_name = "lectures"

urlpatterns = [
    path("schedule/", schedule.schedule, name="schedule"),
    path("schedule.ics", calendars.schedule_ics, name="schedule_ics"),
    path("lecturers/", lecturers.lecturer_list, name="lecturer_list"),
    path("lecturers/<int:pk>/", lecturers.lecturer_detail, name="lecturer_detail"),
    path("me/", me.me, name="me"),
    path("me/calendar/reset/", me.reset_calendar, name="my_calendar_reset"),
    path("me/calendar/<str:token>.ics", me.my_calendar, name="my_calendar"),
    re_path(
        r"^(?P<page_path>(?:[\w\-]+/)+)(?P<kind>feed|event)\.ics$",
        calendars.page_calendar,
        name="page_calendar",
    ),
]
